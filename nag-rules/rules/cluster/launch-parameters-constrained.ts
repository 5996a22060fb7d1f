import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';

/** Values any real constraint rejects at least one of: a pattern matching them all constrains nothing. */
const ANYTHING = [
  '',
  'a',
  'Z9',
  '*',
  ' ',
  'a b',
  '; rm -rf /',
  '../..',
  '${x}',
  '"\'',
  'arn:aws:iam::111122223333:root',
  'x'.repeat(300),
];

/** Template-rule functions that limit the members of a list parameter. */
const LIST_ASSERTIONS = ['Fn::EachMemberIn', 'Fn::EachMemberEquals', 'Fn::Contains'];

/** CLU-10: every launch parameter is constrained, so a launcher can only pick values the platform allows. */
export const LaunchParametersConstrained: ThreatModelRule = {
  controlId: 'CLU-10',
  threats: ['TH-4', 'PV-8', 'AC-5'],
  level: 'error',
  kind: 'missing-control',
  description:
    'Every parameter of the template is constrained: String by AllowedPattern/AllowedValues, Number by MinValue and ' +
    'MaxValue (or AllowedValues), lists by a template rule assertion or AllowedPattern/AllowedValues; AWS-specific types count',
  explanation:
    'A Service Catalog launcher fills in the parameters: an unconstrained one lets a consumer team feed any value ' +
    "into the cluster's configuration (PV-8), e.g. a principal, a range or a name the platform never approved (AC-5).",
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model }) {
    const listed = parametersInRuleAssertions(model);
    const findings: RuleFinding[] = Object.entries(model.parameters).flatMap(([name, p]) =>
      parameterFinding(name, p, listed),
    );
    return findings.length ? findings : COMPLIANT;
  },
};

function parameterFinding(name: string, p: Record<string, unknown>, listed: Set<string>): RuleFinding[] {
  const type = typeof p.Type === 'string' ? p.Type : 'String';
  const allowedValues = Array.isArray(p.AllowedValues) && p.AllowedValues.length > 0;
  const pattern = typeof p.AllowedPattern === 'string' && p.AllowedPattern !== '' ? p.AllowedPattern : undefined;
  const permissive = pattern !== undefined && matchesAnything(pattern);
  const byPattern = pattern !== undefined && !permissive;
  const patternNote = permissive ? ` (AllowedPattern ${JSON.stringify(pattern)} accepts anything)` : '';
  const ssm = /^AWS::SSM::Parameter::Value<(.*)>$/.exec(type);
  const inner = ssm ? ssm[1] : type;
  if (/^(List<)?AWS::/.test(inner)) return []; // AWS-specific types: CloudFormation checks the value exists in the account.
  if (inner === 'String') {
    return allowedValues || byPattern
      ? []
      : [{ message: `parameter '${name}' (${type}) has neither AllowedPattern nor AllowedValues${patternNote}` }];
  }
  if (inner === 'Number') {
    const bounded = isNumber(p.MinValue) && isNumber(p.MaxValue);
    return allowedValues || bounded
      ? []
      : [
          {
            message: `parameter '${name}' (Number) lacks ${isNumber(p.MinValue) ? 'MaxValue' : isNumber(p.MaxValue) ? 'MinValue' : 'MinValue and MaxValue'} (and has no AllowedValues)`,
          },
        ];
  }
  if (inner === 'CommaDelimitedList' || /^List<(String|Number)>$/.test(inner)) {
    return allowedValues || byPattern || listed.has(name)
      ? []
      : [
          {
            message: `parameter '${name}' (${type}) is not limited by a template rule (Fn::EachMemberIn/EachMemberEquals/Contains), AllowedPattern or AllowedValues${patternNote}`,
          },
        ];
  }
  return [{ message: `parameter '${name}' has type ${type}, which the rule cannot judge` }];
}

function isNumber(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
  );
}

function matchesAnything(pattern: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`, 's');
  } catch {
    return false; // Java syntax JavaScript cannot read: CloudFormation still enforces the pattern.
  }
  return ANYTHING.every((sample) => regex.test(sample));
}

/** Parameters a template rule assertion limits member by member (the list is the function's first argument). */
function parametersInRuleAssertions(model: TemplateModel): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      for (const [key, arg] of Object.entries(value)) {
        if (LIST_ASSERTIONS.includes(key) && Array.isArray(arg)) {
          const parameter = model.parameterOf(arg[0]);
          if (parameter) found.add(parameter);
        }
        walk(arg);
      }
    }
  };
  for (const rule of Object.values(model.rules)) {
    for (const assertion of Array.isArray(rule.Assertions) ? rule.Assertions : [])
      walk(isObject(assertion) ? assertion.Assert : undefined);
  }
  return found;
}
