/**
 * A structural check of a SARIF 2.1.0 log against the parts of the schema the pack's reports use (no schema fetch):
 * required properties, types, level and suppression-kind values, and that every result names a driver rule.
 * Returns the problems found; `expectValidSarif` fails a test with them.
 */
const LEVELS = ['none', 'note', 'warning', 'error'];
const SUPPRESSION_KINDS = ['inSource', 'external'];

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): boolean => isObject(v) && typeof v.text === 'string' && v.text.length > 0;

export function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  if (!isObject(log)) return ['the log is not an object'];
  need(log.version === '2.1.0', 'version must be "2.1.0"');
  need(
    typeof log.$schema === 'string' && /sarif-2\.1\.0/.test(log.$schema),
    '$schema must name the SARIF 2.1.0 schema',
  );
  need(Array.isArray(log.runs) && log.runs.length > 0, 'runs must be a non-empty array');
  (Array.isArray(log.runs) ? log.runs : []).forEach((run: any, r: number) => {
    const at = `runs[${r}]`;
    const driver = run?.tool?.driver;
    need(
      isObject(driver) && typeof driver.name === 'string' && driver.name.length > 0,
      `${at}.tool.driver.name is required`,
    );
    const rules: any[] = Array.isArray(driver?.rules) ? driver.rules : [];
    need(Array.isArray(driver?.rules), `${at}.tool.driver.rules must be an array`);
    const ids = rules.map((rule) => rule?.id);
    need(new Set(ids).size === ids.length, `${at}: driver rule ids must be unique`);
    rules.forEach((rule, i) => {
      const ra = `${at}.tool.driver.rules[${i}]`;
      need(typeof rule?.id === 'string' && rule.id.length > 0, `${ra}.id is required`);
      for (const key of ['shortDescription', 'fullDescription', 'help'])
        need(isText(rule?.[key]), `${ra}.${key}.text is required`);
      need(typeof rule?.properties?.controlId === 'string', `${ra}.properties.controlId is required`);
      need(Array.isArray(rule?.properties?.threats), `${ra}.properties.threats must be an array`);
      need(LEVELS.includes(rule?.properties?.level), `${ra}.properties.level must be a SARIF level`);
      if (rule?.defaultConfiguration !== undefined)
        need(
          LEVELS.includes(rule.defaultConfiguration.level),
          `${ra}.defaultConfiguration.level must be a SARIF level`,
        );
    });
    need(Array.isArray(run?.results), `${at}.results must be an array`);
    (Array.isArray(run?.results) ? run.results : []).forEach((result: any, i: number) => {
      const ra = `${at}.results[${i}]`;
      need(ids.includes(result?.ruleId), `${ra}.ruleId '${result?.ruleId}' is not a driver rule`);
      if (result?.ruleIndex !== undefined)
        need(ids[result.ruleIndex] === result.ruleId, `${ra}.ruleIndex does not point at its rule`);
      need(LEVELS.includes(result?.level), `${ra}.level must be one of ${LEVELS.join(', ')}`);
      need(isText(result?.message), `${ra}.message.text is required`);
      need(
        Array.isArray(result?.locations) && result.locations.length > 0,
        `${ra}.locations must be a non-empty array`,
      );
      for (const location of Array.isArray(result?.locations) ? result.locations : []) {
        need(
          typeof location?.physicalLocation?.artifactLocation?.uri === 'string' &&
            location.physicalLocation.artifactLocation.uri.length > 0,
          `${ra}: physicalLocation.artifactLocation.uri is required`,
        );
        need(
          !/^[a-zA-Z]:|^\//.test(location?.physicalLocation?.artifactLocation?.uri ?? ''),
          `${ra}: the artifact uri must be relative`,
        );
        need(
          Array.isArray(location?.logicalLocations) &&
            location.logicalLocations.every(
              (l: any) => typeof l?.name === 'string' && typeof l?.fullyQualifiedName === 'string',
            ),
          `${ra}: logicalLocations need name and fullyQualifiedName`,
        );
      }
      if (result?.suppressions !== undefined) {
        need(
          Array.isArray(result.suppressions) && result.suppressions.length > 0,
          `${ra}.suppressions must be a non-empty array when present`,
        );
        for (const s of Array.isArray(result.suppressions) ? result.suppressions : []) {
          need(SUPPRESSION_KINDS.includes(s?.kind), `${ra}: suppression kind must be inSource or external`);
          need(
            typeof s?.justification === 'string' && s.justification.length > 0,
            `${ra}: suppression needs a justification`,
          );
        }
      }
    });
  });
  return problems;
}

export function expectValidSarif(log: unknown): void {
  expect(sarifProblems(log)).toEqual([]);
}
