// Parses a Mermaid flowchart from stdin with Mermaid's own parser and prints what it read as JSON:
// { vertices: [{ id, text }], edges: [{ start, end, text }], subgraphs: [{ id, title, nodes }] }; exits 1 with the
// parser's message on invalid input. Mermaid is ESM-only and sanitizes labels with DOMPurify, which needs a DOM:
// linkedom provides one, so this runs in plain Node, offline (a child process, since jest loads CommonJS).
import { parseHTML } from 'linkedom';

const { window } = parseHTML('<!doctype html><html><body></body></html>');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString('utf8');
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  process.stdout.write(
    JSON.stringify({
      type: diagram.type,
      vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text })),
      edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
    }),
  );
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
