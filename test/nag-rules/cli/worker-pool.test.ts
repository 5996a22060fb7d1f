import { spawnSync } from 'child_process';
import * as path from 'path';
import { runInThreads, WorkerPool } from '../../../nag-rules/cli/worker-pool';

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKER = path.join(__dirname, 'fixtures', 'thread-worker.ts');
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test('worker threads take jobs while the calling thread works; results come back in the order of the jobs', () => {
  const jobs = Array.from({ length: 40 }, (_, i) => `job-${i}`);
  // The calling thread is slow, so the worker (which starts through tsx here) gets its share.
  const runHere = (job: string) => {
    pause(100);
    return { job, threadId: 0 };
  };
  // What a worker sends is made into the result on the calling thread (check sends its evaluations packed).
  const fromWorker = (sent: unknown) => ({ ...(sent as { job: string; threadId: number }), received: true });
  const results = runInThreads(jobs, { threads: 2, workerModule: WORKER, context: undefined, runHere, fromWorker });
  expect(results.map((r) => r.job)).toEqual(jobs);
  const byWorker = results.filter((r) => r.threadId !== 0);
  expect(byWorker.length).toBeGreaterThan(0);
  expect(new Set(byWorker.map((r) => r.threadId)).size).toBe(1);
  expect(results.map((r) => 'received' in r)).toEqual(results.map((r) => r.threadId !== 0));
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

test('workers started before their jobs are known wait for them, take most of them and give results in job order', () => {
  const pool = new WorkerPool(WORKER, 2);
  expect(pool.size).toBe(2);
  // The workers load (through tsx here) while this thread would load its own modules.
  pause(200);
  const jobs = Array.from({ length: 30 }, (_, i) => `job-${i}`);
  const results = runInThreads(jobs, {
    threads: 3,
    workerModule: WORKER,
    context: undefined,
    runHere: (job: string) => {
      pause(100);
      return { job, threadId: 0 };
    },
    pool,
  });
  expect(results.map((r) => r.job)).toEqual(jobs);
  // The calling thread takes 100 ms a job: the workers, quick, take most of them.
  expect(results.filter((r) => r.threadId !== 0).length).toBeGreaterThan(jobs.length / 2);
  expect(() => pool.run(jobs, undefined, () => undefined)).toThrow('a pool runs one list of jobs');
});

test('a pool closed before any job, even while its workers still load, lets the process end', () => {
  const program = [
    `const { WorkerPool } = require(${JSON.stringify(path.join(ROOT, 'nag-rules', 'cli', 'worker-pool.ts'))});`,
    `const started = new WorkerPool(${JSON.stringify(WORKER)}, 2);`,
    'started.close();',
    'started.close();',
    `const waiting = new WorkerPool(${JSON.stringify(WORKER)}, 1);`,
    'setTimeout(() => waiting.close(), 500);',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', program], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({
    status: 0,
    signal: null,
    stderr: '',
  });
});
