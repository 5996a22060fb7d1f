import * as fs from 'fs';
import * as path from 'path';

/** A template file the command line names, directly or through a directory or a glob. */
export interface TemplateInput {
  readonly file: string;
  /** How the user named it (the argument, or the file's path under the directory or glob that found it). */
  readonly given: string;
  /** The name output and reports use: its path relative to the working directory (absolute outside it). */
  readonly name: string;
  /** Found in a directory or by a glob: a JSON or YAML document there that is not a template is skipped, not an error. */
  readonly discovered: boolean;
}

/** The files a directory contributes: CloudFormation's usual extensions, outside hidden folders. */
const TEMPLATE_FILES = '**/*.{json,yaml,yml,template}';
/**
 * Dependencies, and the assets a CDK cloud assembly stages beside its templates (asset.<hash>/, asset.<hash>.json: a
 * nested or product template staged there is also in the assembly under its own name).
 */
const NOT_TEMPLATES = ['**/node_modules/**', '**/asset.*/**', '**/asset.*'];
const GLOB_CHARACTERS = /[*?[\]{}!]/;

type FastGlob = typeof import('fast-glob');

/** fast-glob, loaded only for a directory or a glob (most runs name files). */
function fastGlob(): FastGlob {
  return require('fast-glob');
}

/** A file's path relative to `cwd` with forward slashes, or its absolute path when it is outside `cwd`. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}

/** The template files of a command line, and what it named that holds none. */
export interface ExpandedInputs {
  readonly inputs: TemplateInput[];
  readonly problems: string[];
}

/**
 * Expands the command line's files, directories and globs into template files, each once, in the order given (a
 * directory's or glob's files sorted). A directory without template files and a glob that matches nothing are
 * problems, one line each; a file that does not exist is left to the loader, which names it.
 */
export function expandInputs(args: readonly string[], cwd: string): ExpandedInputs {
  const inputs: TemplateInput[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (file: string, given: string, discovered: boolean) => {
    if (seen.has(file)) return;
    seen.add(file);
    inputs.push({ file, given, name: displayPath(file, cwd), discovered });
  };
  const addFound = (files: string[], given: string, none: string) => {
    if (files.length === 0) problems.push(`${given}: ${none}`);
    for (const file of files.map((f) => path.resolve(f)).sort()) add(file, displayPath(file, cwd), true);
  };
  for (const given of args) {
    const file = path.resolve(cwd, given);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      addFound(
        fastGlob().sync(TEMPLATE_FILES, { cwd: file, absolute: true, ignore: NOT_TEMPLATES }),
        given,
        'no template file in this directory (*.json, *.yaml, *.yml, *.template)',
      );
    } else if (!stat && GLOB_CHARACTERS.test(given)) {
      addFound(
        fastGlob().sync(given, { cwd, absolute: true, onlyFiles: true, ignore: NOT_TEMPLATES }),
        given,
        'no file matches this pattern',
      );
    } else {
      add(file, given, false);
    }
  }
  return { inputs, problems };
}
