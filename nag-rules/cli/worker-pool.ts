import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';

/** What a worker of the pool is given when it starts (its jobs come later, in one message on its port). */
interface PoolWorkerData {
  readonly port: MessagePort;
  /** [0] turns 1 when the jobs are posted (the worker sleeps on it until then). */
  readonly posted: Int32Array;
}

/** The one message a worker gets: the jobs to claim from, shared counters, and the run's context. */
interface JobsMessage<Job> {
  readonly jobs: readonly Job[];
  /** [0]: the next job to claim; [1]: jobs the workers finished (the calling thread sleeps on it). */
  readonly counters: Int32Array;
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
 * Worker threads running `workerModule` (which calls `serveJobs`), started before their jobs are known: each loads its
 * module while the calling thread loads and prepares its own, and waits for the jobs. Used once (`run`), then closed.
 */
export class WorkerPool {
  private readonly workers: { readonly worker: Worker; readonly port: MessagePort; readonly posted: Int32Array }[] = [];
  private used = false;
  private closed = false;

  /** `workers` threads on `workerModule`: the compiled module, or the TypeScript source through tsx (tests). */
  constructor(workerModule: string, workers: number) {
    for (let i = 0; i < workers; i++) {
      const { port1, port2 } = new MessageChannel();
      const posted = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
      const worker = startWorker(workerModule, { port: port2, posted }, [port2]);
      // A worker that fails before it claims a job loses nothing (the calling thread takes every job left), and what
      // fails in a job comes back as its result: the event would only end the process after the run, with a stack trace.
      worker.on('error', () => undefined);
      this.workers.push({ worker, port: port1, posted });
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs `runHere` on every job, spread over the calling thread and the pool's workers. Jobs are claimed one at a time
   * from a shared counter, so a slow template does not hold up a fixed share. Synchronous: the calling thread works
   * too, taking in the workers' results between its own jobs, then sleeps (Atomics.wait) until the last ones are in.
   * The results come back in the order of the jobs; a job's function must return its errors as results.
   */
  run<Job, Result>(
    jobs: readonly Job[],
    context: unknown,
    runHere: (job: Job) => Result,
    fromWorker: (sent: unknown) => Result = (sent) => sent as Result,
  ): Result[] {
    if (this.used) throw new Error('WorkerPool.run: a pool runs one list of jobs');
    this.used = true;
    const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    for (const { port, posted } of this.workers) {
      port.postMessage({ jobs, counters, context } satisfies JobsMessage<Job>);
      Atomics.store(posted, 0, 1);
      Atomics.notify(posted, 0);
    }
    const results: Result[] = new Array(jobs.length);
    const ports = this.workers.map((w) => w.port);
    let done = 0;
    // Copying a worker's results in costs the calling thread time: taken between its own jobs, not all at the end.
    const takeResults = () => {
      for (const port of ports) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
          const { index, result, error } = message.message as JobMessage<Result>;
          if (error !== undefined) throw new Error(`a worker thread failed: ${error}`);
          results[index] = fromWorker(result);
          done++;
        }
      }
    };
    for (let index = Atomics.add(counters, NEXT, 1); index < jobs.length; index = Atomics.add(counters, NEXT, 1)) {
      results[index] = runHere(jobs[index]);
      done++;
      takeResults();
    }
    while (done < jobs.length) {
      const finished = Atomics.load(counters, FINISHED);
      takeResults();
      if (done < jobs.length) Atomics.wait(counters, FINISHED, finished);
    }
    return results;
  }

  /** Ends the workers: one still loading, or waiting for jobs that never came, included (termination wakes it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { worker, port } of this.workers) {
      void worker.terminate();
      port.close();
    }
  }
}

/**
 * Runs `runHere` on every job over `threads` threads (this one and workers running `workerModule`), as
 * `WorkerPool.run` does; the workers are started here unless `pool` holds them already.
 */
export function runInThreads<Job, Result>(
  jobs: readonly Job[],
  options: {
    readonly threads: number;
    readonly workerModule: string;
    readonly context: unknown;
    readonly runHere: (job: Job) => Result;
    /** A result as a worker sent it (what its `serveJobs` function returned) made into the result. @default as sent */
    readonly fromWorker?: (sent: unknown) => Result;
    /** Workers started earlier (they load while this thread does); closed here. */
    readonly pool?: WorkerPool;
  },
): Result[] {
  const pool = options.pool ?? new WorkerPool(options.workerModule, Math.min(options.threads, jobs.length) - 1);
  try {
    return pool.run(jobs, options.context, options.runHere, options.fromWorker);
  } finally {
    // A worker still starting when the jobs ran out would load the whole pack for nothing.
    pool.close();
  }
}

/** A worker thread on the compiled module, or on the TypeScript source through tsx (this repository's tests). */
function startWorker(workerModule: string, data: PoolWorkerData, transfer: MessagePort[]): Worker {
  if (path.extname(workerModule) !== '.ts')
    return new Worker(workerModule, { workerData: data, transferList: transfer });
  const script = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(workerModule)});`;
  return new Worker(script, { eval: true, workerData: data, transferList: transfer });
}

/** The worker side of `WorkerPool`: waits for the jobs, then claims them until none is left, posting each result. */
export function serveJobs<Job, Result>(run: (job: Job, context: unknown) => Result): void {
  const { port, posted } = workerData as PoolWorkerData;
  let message = receiveMessageOnPort(port);
  while (!message) {
    Atomics.wait(posted, 0, 0);
    message = receiveMessageOnPort(port);
  }
  const { jobs, counters, context } = message.message as JobsMessage<Job>;
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
