import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import * as path from 'node:path';

export interface ParsedFlowchart {
  readonly type: string;
  readonly vertices: readonly { readonly id: string; readonly text: string }[];
  readonly edges: readonly {
    readonly start: string;
    readonly end: string;
    readonly text: string;
    readonly stroke: string;
  }[];
  readonly subgraphs: readonly { readonly id: string; readonly title: string; readonly nodes: readonly string[] }[];
}

const PARSE_TIMEOUT_MS = 60_000;

let parser: { readonly worker: Worker; readonly port: MessagePort; readonly answered: Int32Array } | undefined;

/** The worker thread that holds Mermaid's parser (test/support/mermaid-parse.mjs), started on the first parse. */
function mermaidParser(): NonNullable<typeof parser> {
  if (!parser) {
    const { port1, port2 } = new MessageChannel();
    const answered = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(path.join(__dirname, 'mermaid-parse.mjs'), {
      workerData: { port: port2, answered },
      transferList: [port2],
    });
    worker.unref();
    parser = { worker, port: port1, answered };
  }
  return parser;
}

/** Ends the parser's worker thread (a test file that parsed calls it when done). */
export async function stopMermaidParser(): Promise<void> {
  const running = parser;
  parser = undefined;
  if (running) {
    running.port.close();
    await running.worker.terminate();
  }
}

/** A Mermaid flowchart as Mermaid's own parser reads it (test/support/mermaid-parse.mjs); throws the parser's message. */
export function parseMermaid(text: string): ParsedFlowchart {
  const { port, answered } = mermaidParser();
  Atomics.store(answered, 0, 0);
  port.postMessage(text);
  if (Atomics.wait(answered, 0, 0, PARSE_TIMEOUT_MS) === 'timed-out')
    throw new Error(`Mermaid did not answer within ${PARSE_TIMEOUT_MS / 1000} s`);
  const reply = receiveMessageOnPort(port)?.message as { ok?: ParsedFlowchart; error?: string } | undefined;
  if (!reply?.ok) throw new Error(`Mermaid cannot parse the diagram: ${reply?.error ?? 'no answer'}`);
  return reply.ok;
}
