import * as fs from 'fs';
import * as path from 'path';

/** A script the runbooks ship (Python for aws:executeScript, shell for Run Command), read from its own file under scripts/. */
export function runbookScript(name: string): string {
  return fs.readFileSync(path.join(__dirname, 'scripts', name), 'utf8');
}
