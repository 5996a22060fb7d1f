import { spawnSync } from 'child_process';
import * as path from 'path';

// Found from the build's root, not beside this module: the command's bundle (dist/bin/) runs this code one folder away.
const RENDERER = path.join(__dirname, '..', 'security-view', 'render-svg.js');

/** Renders DOT to SVG with the WebAssembly Graphviz, in a child process (see render-svg.js); throws Graphviz's errors. */
export function renderSvg(dot: string): string {
  const run = spawnSync(process.execPath, [RENDERER], { input: dot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(`Graphviz could not render the security view: ${(run.error?.message ?? run.stderr).trim()}`);
  return run.stdout;
}
