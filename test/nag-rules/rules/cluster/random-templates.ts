import fc from 'fast-check';
import { appliesTo, COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../../../nag-rules/core/rule';
import { TemplateModel } from '../../../../nag-rules/core/template-model';

/** Values shaped like CloudFormation: literals, intrinsics (with references to the template's IDs), lists and objects. */
export const cfnValue = (keys: string[], ids: string[]) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(
        fc.string(),
        fc.boolean(),
        fc.integer(),
        fc.constant(null),
        fc.constantFrom(...ids, 'secrets', 'API', 'true', 'vpc-cni', '*'),
      ),
      fc.record({ Ref: fc.oneof(fc.constantFrom(...ids, 'AWS::NoValue', 'P'), fc.string()) }),
      fc.record({
        'Fn::GetAtt': fc.oneof(
          fc.tuple(fc.constantFrom(...ids), fc.constantFrom('Arn', 'Value', 'OpenIdConnectIssuerUrl')),
          fc.string(),
          tie('value'),
        ),
      }),
      fc.record({ 'Fn::If': fc.oneof(fc.tuple(fc.string(), tie('value'), tie('value')), tie('value')) }),
      fc.record({
        'Fn::Join': fc.oneof(fc.tuple(fc.string(), fc.array(tie('value'), { maxLength: 4 })), tie('value')),
      }),
      fc.record({ 'Fn::Sub': fc.oneof(fc.string(), tie('value')) }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 5 }),
    ),
  })).value;

/** Runs every rule straight on random templates (no evaluate wrapper catches an exception here). */
export function expectNeverThrows(rules: readonly ThreatModelRule[], keys: string[], extraTypes: string[]): void {
  const ids = ['C', 'K', 'R', 'P1', 'A', 'L', 'N'];
  const types = [...new Set([...rules.flatMap((r) => r.resourceTypes), ...extraTypes])];
  const resource = fc.record({
    Type: fc.constantFrom(...types),
    Properties: cfnValue(keys, ids),
    DependsOn: fc.option(fc.constantFrom(...ids)),
  });
  const template = fc.record({
    Resources: fc.tuple(...ids.map(() => resource)).map((rs) => Object.fromEntries(rs.map((r, i) => [ids[i], r]))),
    Parameters: fc.dictionary(
      fc.constantFrom('P', 'V', 'Q'),
      cfnValue(['Type', 'AllowedValues', 'AllowedPattern', 'MinValue', 'MaxValue'], ids),
    ),
    Rules: fc.dictionary(
      fc.constantFrom('R1', 'R2'),
      cfnValue(['Assertions', 'Assert', 'Fn::EachMemberIn', 'Fn::Contains', 'RuleCondition'], ids),
    ),
  });
  fc.assert(
    fc.property(template, (t) => {
      const model = new TemplateModel(t);
      for (const [logicalId, r] of model.resources) {
        for (const rule of rules.filter((x) => appliesTo(x, r.Type))) {
          const result = rule.evaluate({
            model,
            logicalId,
            resource: r,
            properties: (r.Properties ?? {}) as Record<string, any>,
          });
          const valid =
            result === COMPLIANT ||
            result === NOT_APPLICABLE ||
            (Array.isArray(result) &&
              result.length > 0 &&
              result.every((f) => typeof f.message === 'string' && f.message.length > 0));
          if (!valid) throw new Error(`${rule.controlId} on ${logicalId} returned ${JSON.stringify(result)}`);
        }
      }
    }),
    { seed: 4242, numRuns: 400 },
  );
}
