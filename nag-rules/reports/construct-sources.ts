import * as fs from 'fs';
import * as path from 'path';

/** Where a construct was created in the app's own code. */
export interface SourceLocation {
  /** Absolute path of the source file. */
  readonly file: string;
  readonly line: number;
}

/** Metadata type CDK gives each CfnElement's creation stack trace (aws-cdk-lib `ArtifactMetadataEntryType.CREATION_STACK`). */
const CREATION_STACK = 'aws:cdk:creationStack';

/** `fn (file:line:col)` or `file:line:col`, as CDK renders a frame. */
const FRAME = /^(?:.*? \()?(.+?):(\d+)(?::\d+)?\)?$/;

/**
 * The first frame of a creation stack trace that is the app's own code: not a dependency (node_modules), not Node's
 * internals, not a frame CDK folded (`...X in aws-cdk-lib...`).
 */
export function userFrame(trace: readonly unknown[]): SourceLocation | undefined {
  for (const entry of trace) {
    if (typeof entry !== 'string') continue;
    const frame = entry.trim().replace(/^at /, '');
    if (frame.startsWith('...') || frame.includes('node_modules') || frame.includes('node:')) continue;
    const match = FRAME.exec(frame);
    if (match && path.isAbsolute(match[1])) return { file: match[1], line: Number(match[2]) };
  }
  return undefined;
}

/**
 * The source location of every construct of a cloud assembly that has a creation stack trace, by construct path
 * (without the leading `/`): read from `manifest.json` and each stack's metadata (inline or `additionalMetadataFile`).
 * CDK records these traces by default (context `aws:cdk:disable-creation-stack-traces` turns them off); an assembly
 * without them gives an empty map.
 */
export function constructSources(assemblyDir: string): Map<string, SourceLocation> {
  const found = new Map<string, SourceLocation>();
  let manifest: {
    artifacts?: Record<string, { type?: string; metadata?: Record<string, unknown>; additionalMetadataFile?: string }>;
  };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  } catch {
    return found;
  }
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    let metadata: Record<string, unknown> = artifact.metadata ?? {};
    if (artifact.additionalMetadataFile) {
      try {
        metadata = {
          ...metadata,
          ...JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.additionalMetadataFile), 'utf8')),
        };
      } catch {
        // a missing metadata file leaves these constructs without a source line
      }
    }
    for (const [constructPath, entries] of Object.entries(metadata)) {
      if (!Array.isArray(entries)) continue;
      const trace = entries.find((e) => e?.type === CREATION_STACK)?.data;
      const location = Array.isArray(trace) ? userFrame(trace) : undefined;
      if (location) found.set(constructPath.replace(/^\//, ''), location);
    }
  }
  return found;
}
