import * as path from 'path';
import { runInThreads } from '../../../nag-rules/cli/worker-pool';

const WORKER = path.join(__dirname, 'fixtures', 'thread-worker.ts');
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test('worker threads take jobs while the calling thread works; results come back in the order of the jobs', () => {
  const jobs = Array.from({ length: 40 }, (_, i) => `job-${i}`);
  // The calling thread is slow, so the worker (which starts through tsx here) gets its share.
  const runHere = (job: string) => {
    pause(100);
    return { job, threadId: 0 };
  };
  const results = runInThreads(jobs, { threads: 2, workerModule: WORKER, context: undefined, runHere });
  expect(results.map((r) => r.job)).toEqual(jobs);
  const byWorker = results.filter((r) => r.threadId !== 0);
  expect(byWorker.length).toBeGreaterThan(0);
  expect(new Set(byWorker.map((r) => r.threadId)).size).toBe(1);
});

test.each([
  ['throws', 'throw', /a worker thread failed: Error: the job threw/],
  ['answers with what no message can carry', 'uncloneable', /a worker thread failed: DataCloneError/],
])('a job that %s in a worker fails the run instead of leaving it waiting', (_, job, error) => {
  const jobs = Array.from({ length: 8 }, () => job);
  // The calling thread is slow, so the worker (however long it takes to start) claims some of the jobs.
  const runHere = () => {
    pause(1_000);
    return { job: 'here', threadId: 0 };
  };
  expect(() => runInThreads(jobs, { threads: 2, workerModule: WORKER, context: undefined, runHere })).toThrow(error);
});
