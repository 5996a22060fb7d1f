import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';

/** What a worker of the pool is given. */
interface PoolWorkerData<Job> {
  readonly jobs: readonly Job[];
  /** [0]: the next job to claim; [1]: jobs the workers finished (the main thread sleeps on it). */
  readonly counters: Int32Array;
  readonly port: MessagePort;
  readonly context: unknown;
}

interface JobMessage<Result> {
  readonly index: number;
  readonly result?: Result;
  /** What the job threw (a job should return its errors: this is a bug, reported rather than waited on forever). */
  readonly error?: string;
}

const NEXT = 0;
const FINISHED = 1;

/**
 * Runs `runHere` on every job, spread over `threads` threads: the calling thread and `threads - 1` worker threads
 * running `workerModule` (which calls `serveJobs` with the same function). Jobs are claimed one at a time from a
 * shared counter, so a slow template does not hold up a fixed share. Synchronous: the calling thread works too and
 * then sleeps (Atomics.wait) until the workers' results are in, so callers stay simple functions. The results come
 * back in the order of the jobs; a job's function must return its errors as results (a throwing job would be lost).
 */
export function runInThreads<Job, Result>(
  jobs: readonly Job[],
  options: {
    readonly threads: number;
    readonly workerModule: string;
    readonly context: unknown;
    readonly runHere: (job: Job) => Result;
  },
): Result[] {
  const results: Result[] = new Array(jobs.length);
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let i = 0; i < Math.min(options.threads, jobs.length) - 1; i++) {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    const data: PoolWorkerData<Job> = { jobs, counters, port: port2, context: options.context };
    const worker = startWorker(options.workerModule, data, [port2]);
    // A worker that fails before it claims a job loses nothing (this thread takes every job left), and what fails in a
    // job comes back as its result: the event would only end the process after the run, with a stack trace.
    worker.on('error', () => undefined);
    workers.push(worker);
  }
  try {
    collect(jobs, options.runHere, results, counters, ports);
  } finally {
    // A worker still starting when the jobs ran out would load the whole pack for nothing.
    for (const worker of workers) void worker.terminate();
    for (const port of ports) port.close();
  }
  return results;
}

/** The calling thread's part: jobs until none is left to claim, then the workers' results as they come. */
function collect<Job, Result>(
  jobs: readonly Job[],
  runHere: (job: Job) => Result,
  results: Result[],
  counters: Int32Array,
  ports: readonly MessagePort[],
): void {
  let finishedHere = 0;
  for (let index = Atomics.add(counters, NEXT, 1); index < jobs.length; index = Atomics.add(counters, NEXT, 1)) {
    results[index] = runHere(jobs[index]);
    finishedHere++;
  }
  let received = 0;
  while (finishedHere + received < jobs.length) {
    const finished = Atomics.load(counters, FINISHED);
    for (const port of ports) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
        const { index, result, error } = message.message as JobMessage<Result>;
        if (error !== undefined) throw new Error(`a worker thread failed: ${error}`);
        results[index] = result as Result;
        received++;
      }
    }
    if (finishedHere + received < jobs.length) Atomics.wait(counters, FINISHED, finished);
  }
}

/** A worker thread on the compiled module, or on the TypeScript source through tsx (this repository's tests). */
function startWorker<Job>(workerModule: string, data: PoolWorkerData<Job>, transfer: MessagePort[]): Worker {
  if (path.extname(workerModule) !== '.ts')
    return new Worker(workerModule, { workerData: data, transferList: transfer });
  const script = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(workerModule)});`;
  return new Worker(script, { eval: true, workerData: data, transferList: transfer });
}

/** The worker side of `runInThreads`: claims jobs until none is left, posting each result. */
export function serveJobs<Job, Result>(run: (job: Job, context: unknown) => Result): void {
  const { jobs, counters, port, context } = workerData as PoolWorkerData<Job>;
  for (let index = Atomics.add(counters, NEXT, 1); index < jobs.length; index = Atomics.add(counters, NEXT, 1)) {
    try {
      port.postMessage({ index, result: run(jobs[index], context) } satisfies JobMessage<Result>);
    } catch (error) {
      port.postMessage({ index, error: (error as Error).stack ?? String(error) } satisfies JobMessage<Result>);
    }
    Atomics.add(counters, FINISHED, 1);
    Atomics.notify(counters, FINISHED);
  }
  port.close();
}
