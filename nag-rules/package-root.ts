import * as fs from 'fs';
import * as path from 'path';

export const PACKAGE_NAME = '@hardened-eks/eks-threat-model';

let root: string | undefined;

/**
 * A file at the package's root (nag-rules/ in this repository, the install folder elsewhere). The compiled modules
 * run one folder deeper (dist/) than the sources, so the root is found by its package.json, not by a fixed path.
 */
export function packageFile(name: string): string {
  if (root === undefined) {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
        root = dir;
        break;
      }
      if (path.dirname(dir) === dir)
        throw new Error(`${PACKAGE_NAME}: no package.json of the package above ${__dirname}`);
    }
  }
  return path.join(root, name);
}
