import { ConfigError } from '../../lib/config/validation';

/**
 * Runs `parse` and returns the ConfigError it throws, after checking that the error names `field` (a dotted path)
 * and that its message states the rule (`rule`). Fails the test if `parse` succeeds or throws anything else.
 */
export function expectConfigError(parse: () => unknown, field: string, rule: RegExp | string): ConfigError {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a ConfigError at '${field}', but the configuration was accepted`);
  expect(thrown).toBeInstanceOf(ConfigError);
  const error = thrown as ConfigError;
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`Invalid configuration at '${field}': `)).toBe(true);
  if (typeof rule === 'string') expect(error.rule).toContain(rule);
  else expect(error.rule).toMatch(rule);
  return error;
}
