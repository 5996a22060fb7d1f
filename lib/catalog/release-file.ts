import * as fs from 'fs';
import { z } from 'zod';
import {
  ConfigError,
  configObject,
  flag,
  list,
  matching,
  oneOf,
  parseConfig,
  patterns,
  text,
} from '../config/validation';
import { ProductRelease } from './product-definition';

const versionName = () => matching(patterns.semanticVersion, 'a version like v1.2.3');

const acceptedBreakingChangeSchema = configObject({
  resource: matching(/^[A-Za-z0-9]{1,255}$/, 'a logical ID of the product template'),
  migration: z.unknown().optional(),
})
  .superRefine((change, context) => {
    if (typeof change.migration !== 'string' || change.migration.trim().length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['migration'],
        message: `is missing: accepting a breaking change of ${change.resource} needs a migration note telling consumers what to do`,
      });
    }
  })
  .transform((change) => ({ resource: change.resource, migration: String(change.migration).trim() }));

/** A product's `release.json`. */
const releaseSchema = configObject({
  current: configObject({
    name: versionName(),
    description: text(),
    locked: flag().default(true),
    status: z.unknown().optional(),
    acceptedBreakingChanges: list(acceptedBreakingChangeSchema).default([]),
  })
    .superRefine((current, context) => {
      if (current.status !== undefined && current.status !== 'active') {
        context.addIssue({
          code: 'custom',
          path: ['status'],
          message: `'${String(current.status)}': the current version is the one consumers launch and update to, so it cannot be retired; release its successor, then retire it in retained`,
        });
      }
    })
    .transform(({ status: _alwaysActive, ...current }) => current),
  retained: list(
    configObject({
      name: versionName(),
      description: text(),
      status: text()
        .pipe(oneOf(['active', 'deprecated', 'inactive']))
        .default('active'),
    }),
  ).default([]),
}).superRefine((release, context) => {
  release.retained.forEach((version, index) => {
    const path = ['retained', index, 'name'];
    if (version.name === release.current.name) {
      context.addIssue({
        code: 'custom',
        path,
        message: `'${version.name}' is the current version: a version is either current or retained (retire it once its successor is released)`,
      });
    } else if (release.retained.findIndex((other) => other.name === version.name) < index) {
      context.addIssue({ code: 'custom', path, message: `'${version.name}' is retained twice` });
    }
  });
});

/** Reads a product's `release.json`; problems name the file and the field. */
export function loadRelease(file: string, field: string): ProductRelease {
  if (!fs.existsSync(file)) throw new ConfigError(field, `the product has no ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, `is not valid JSON (${(error as Error).message})`);
  }
  return parseRelease(raw, file);
}

/** Problems are named after the file, then the field: `products/x/release.json current.name`. */
export function parseRelease(raw: unknown, file: string): ProductRelease {
  return parseConfig(releaseSchema, raw, file, ' ');
}
