import * as YAML from 'yaml';
import { CLOUDFORMATION_TAGS } from '../cli/template-loader';

/**
 * The 1-based line of each resource's logical ID in a template's text (JSON or YAML), so that SARIF results point
 * at the resource a developer reads. A text that cannot be read gives no lines (results then point at the file).
 */
export function resourceLines(text: string): Map<string, number> {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return body.trimStart().startsWith('{') ? jsonResourceLines(body) : yamlResourceLines(body);
  } catch {
    return new Map();
  }
}

/** One pass over JSON text: the keys of the top-level `Resources` object (depth 2 under the key `Resources`). */
function jsonResourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const keyAtDepth: string[] = [];
  let line = 1;
  let depth = 0;
  let lastString: { value: string; line: number } | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      const startLine = line;
      let escaped = false;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') {
          escaped = true;
          i++;
        }
      }
      const raw = text.slice(start, i + 1);
      lastString = { value: escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1), line: startLine };
      continue;
    }
    if (ch === '\n') line++;
    if (ch === ':' && lastString) {
      keyAtDepth[depth] = lastString.value;
      if (depth === 2 && keyAtDepth[1] === 'Resources' && !lines.has(lastString.value))
        lines.set(lastString.value, lastString.line);
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    if (ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\n') lastString = undefined;
  }
  return lines;
}

function yamlResourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const counter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { customTags: CLOUDFORMATION_TAGS, lineCounter: counter, prettyErrors: false });
  const resources = doc.get('Resources', true);
  if (!YAML.isMap(resources)) return lines;
  for (const item of resources.items) {
    if (YAML.isScalar(item.key) && item.key.range)
      lines.set(String(item.key.value), counter.linePos(item.key.range[0]).line);
  }
  return lines;
}
