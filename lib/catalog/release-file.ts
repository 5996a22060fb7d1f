import * as fs from 'fs';
import { ConfigError, expectArray, expectBoolean, expectObject, expectString, patterns } from '../config/validation';
import { AcceptedBreakingChange, ProductRelease, VersionStatus } from './product-definition';

const VERSION_STATUSES: readonly VersionStatus[] = ['active', 'deprecated', 'inactive'];

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

export function parseRelease(raw: unknown, file: string): ProductRelease {
  const o = expectObject(raw, file, ['current', 'retained']);
  const c = expectObject(o.current, `${file} current`, ['name', 'description', 'locked', 'status', 'acceptedBreakingChanges']);
  if (c.status !== undefined && c.status !== 'active') {
    throw new ConfigError(`${file} current.status`, `'${String(c.status)}': the current version is the one consumers launch and update to, `
      + 'so it cannot be retired; release its successor, then retire it in retained');
  }
  const current = {
    name: versionName(c.name, `${file} current.name`),
    description: expectString(c.description, `${file} current.description`),
    locked: c.locked === undefined ? true : expectBoolean(c.locked, `${file} current.locked`),
    acceptedBreakingChanges: expectArray(c.acceptedBreakingChanges ?? [], `${file} current.acceptedBreakingChanges`, acceptedBreakingChange),
  };
  const retained = expectArray(o.retained ?? [], `${file} retained`, (v, f) => {
    const r = expectObject(v, f, ['name', 'description', 'status']);
    const name = versionName(r.name, `${f}.name`);
    if (name === current.name) {
      throw new ConfigError(`${f}.name`, `'${name}' is the current version: a version is either current or retained (retire it once its successor is released)`);
    }
    return { name, description: expectString(r.description, `${f}.description`), status: versionStatus(r.status, `${f}.status`) };
  });
  retained.forEach((v, i) => {
    if (retained.findIndex((other) => other.name === v.name) < i) throw new ConfigError(`${file} retained[${i}].name`, `'${v.name}' is retained twice`);
  });
  return { current, retained };
}

function acceptedBreakingChange(value: unknown, field: string): AcceptedBreakingChange {
  const o = expectObject(value, field, ['resource', 'migration']);
  const resource = expectString(o.resource, `${field}.resource`, /^[A-Za-z0-9]{1,255}$/, 'a logical ID of the product template');
  if (typeof o.migration !== 'string' || o.migration.trim().length === 0) {
    throw new ConfigError(`${field}.migration`, `is missing: accepting a breaking change of ${resource} needs a migration note telling consumers what to do`);
  }
  return { resource, migration: o.migration.trim() };
}

function versionName(value: unknown, field: string): string {
  return expectString(value, field, patterns.semanticVersion, 'a version like v1.2.3');
}

function versionStatus(value: unknown, field: string): VersionStatus {
  if (value === undefined) return 'active';
  const status = expectString(value, field);
  if (!(VERSION_STATUSES as readonly string[]).includes(status)) throw new ConfigError(field, `'${status}' is not one of ${VERSION_STATUSES.join(', ')}`);
  return status as VersionStatus;
}
