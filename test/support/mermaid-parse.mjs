// Mermaid's own parser in a worker thread of the tests (test/support/mermaid.ts): each text posted on the port is
// answered on it with what the parser read, { ok: { type, vertices, edges, subgraphs } }, or { error: its message };
// then the shared flag is raised, so the test thread can wait for the answer synchronously. Mermaid is ESM-only and
// sanitizes labels with DOMPurify, which needs a DOM: linkedom provides one, so this runs in plain Node, offline, and
// loads Mermaid once for every diagram a test file parses.
import { workerData } from 'node:worker_threads';
import { parseHTML } from 'linkedom';

const { port, answered } = workerData;
const { window } = parseHTML('<!doctype html><html><body></body></html>');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');

async function read(text) {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  return {
    type: diagram.type,
    vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text })),
    edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke })),
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
  };
}

port.on('message', async (text) => {
  try {
    port.postMessage({ ok: await read(text) });
  } catch (error) {
    port.postMessage({ error: error.message });
  }
  Atomics.store(answered, 0, 1);
  Atomics.notify(answered, 0);
});
