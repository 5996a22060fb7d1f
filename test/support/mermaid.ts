import { spawnSync } from 'node:child_process';
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

/** A Mermaid flowchart as Mermaid's own parser reads it (test/support/mermaid-parse.mjs); throws the parser's message. */
export function parseMermaid(text: string): ParsedFlowchart {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs')], {
    input: text,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`Mermaid cannot parse the diagram: ${run.stderr.trim() || run.error?.message}`);
  return JSON.parse(run.stdout);
}
