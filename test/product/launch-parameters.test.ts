import { App, Stack } from 'aws-cdk-lib';
import { ProductParameters } from '../../products/hardened-eks/parameters';
import { HardenedEksSettings, parseHardenedEksSettings } from '../../products/hardened-eks/settings';
import { defaultSettings, resourcesOfType, synthesizeCatalog, SynthesizedCatalog } from '../support/project-app';

/**
 * "A consumer parameter outside the allowed set is rejected before anything is created": the product template's
 * parameter constraints and rules (and the portfolio's template constraint) are evaluated here the way
 * CloudFormation / Service Catalog evaluate them at launch, on good and bad launch values.
 */

let synth: SynthesizedCatalog;
let parameters: Record<string, CfnParameterDef>;
let settings: HardenedEksSettings;
/** The product template's Rules and the rules of every launch template constraint on the product. */
let allRules: Record<string, CfnRuleDef>;

beforeAll(() => {
  synth = synthesizeCatalog();
  parameters = synth.productJson.Parameters;
  settings = defaultSettings();
  allRules = { ...synth.productJson.Rules };
  for (const [id, constraint] of resourcesOfType(
    synth.catalog.toJSON(),
    'AWS::ServiceCatalog::LaunchTemplateConstraint',
  )) {
    for (const [name, rule] of Object.entries(JSON.parse(constraint.Properties.Rules) as Record<string, CfnRuleDef>)) {
      allRules[`${id}/${name}`] = rule;
    }
  }
}, 120_000);

// ---------------------------------------------------------------------------------------------------------------
// Parameter constraints, as CloudFormation checks them before creating a stack.
// ---------------------------------------------------------------------------------------------------------------

interface CfnParameterDef {
  Type: string;
  Default?: string | number;
  AllowedPattern?: string;
  AllowedValues?: string[];
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
}

/** The constraints of parameter `name` that `value` violates (empty: CloudFormation accepts the value). */
function parameterViolations(name: string, value: string): string[] {
  const p = parameters[name];
  if (!p) throw new Error(`the product template has no parameter ${name}`);
  const violations: string[] = [];
  if (p.Type === 'Number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) return ['Number'];
    if (p.MinValue !== undefined && n < p.MinValue) violations.push('MinValue');
    if (p.MaxValue !== undefined && n > p.MaxValue) violations.push('MaxValue');
    return violations;
  }
  const items = p.Type === 'CommaDelimitedList' ? value.split(',') : [value];
  for (const item of items) {
    if (p.MinLength !== undefined && item.length < p.MinLength) violations.push('MinLength');
    if (p.MaxLength !== undefined && item.length > p.MaxLength) violations.push('MaxLength');
    // CloudFormation requires the whole value to match; the patterns are anchored, and a JS RegExp reads them the same way.
    if (p.AllowedPattern !== undefined && !new RegExp(p.AllowedPattern).test(item)) violations.push('AllowedPattern');
    if (p.AllowedValues !== undefined && !p.AllowedValues.includes(item)) violations.push('AllowedValues');
  }
  return violations;
}

const accepts = (name: string, value: string) => parameterViolations(name, value).length === 0;

// ---------------------------------------------------------------------------------------------------------------
// Template rules, evaluated like CloudFormation's rule functions.
// ---------------------------------------------------------------------------------------------------------------

interface CfnRuleDef {
  RuleCondition?: unknown;
  Assertions: { Assert: unknown; AssertDescription?: string }[];
}

const RULE_FUNCTIONS = [
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::Contains',
  'Fn::EachMemberIn',
  'Fn::EachMemberEquals',
  'Ref',
];

/** Evaluates a rule expression with the launch's parameter values (a CommaDelimitedList is its value split on commas). */
function evaluate(expression: unknown, values: Record<string, string>): unknown {
  if (typeof expression === 'string' || typeof expression === 'number' || typeof expression === 'boolean')
    return expression;
  if (Array.isArray(expression)) return expression.map((e) => evaluate(e, values));
  if (expression === null || typeof expression !== 'object')
    throw new Error(`cannot evaluate ${JSON.stringify(expression)}`);
  const keys = Object.keys(expression);
  if (keys.length !== 1) throw new Error(`not a rule function: ${JSON.stringify(expression)}`);
  const [fn] = keys;
  const args = (expression as Record<string, unknown>)[fn];
  const list = (v: unknown): string[] => {
    if (!Array.isArray(v)) throw new Error(`${fn} expects a list, got ${JSON.stringify(v)}`);
    return v.map(String);
  };
  const bool = (v: unknown): boolean => {
    if (typeof v !== 'boolean') throw new Error(`${fn} expects a condition, got ${JSON.stringify(v)}`);
    return v;
  };
  switch (fn) {
    case 'Ref': {
      const name = args as string;
      const p = parameters[name];
      if (!p) throw new Error(`Ref to ${name}, which is not a parameter`);
      const value = values[name];
      return p.Type === 'CommaDelimitedList' ? value.split(',') : value;
    }
    case 'Fn::Equals': {
      const [a, b] = evaluate(args, values) as unknown[];
      return String(a) === String(b);
    }
    case 'Fn::Not':
      return !bool((evaluate(args, values) as unknown[])[0]);
    case 'Fn::And':
      return (evaluate(args, values) as unknown[]).every(bool);
    case 'Fn::Or':
      return (evaluate(args, values) as unknown[]).some(bool);
    case 'Fn::Contains': {
      const [haystack, needle] = evaluate(args, values) as unknown[];
      return list(haystack).includes(String(needle));
    }
    case 'Fn::EachMemberIn': {
      const [members, allowed] = evaluate(args, values) as unknown[];
      return list(members).every((m) => list(allowed).includes(m));
    }
    case 'Fn::EachMemberEquals': {
      const [members, value] = evaluate(args, values) as unknown[];
      return list(members).every((m) => m === String(value));
    }
    default:
      throw new Error(`the evaluator does not know ${fn}`);
  }
}

/** Every key of the objects in an expression (Ref, Fn::Equals, …) with its value, the outer ones first. */
function* entriesOf(expression: unknown): Generator<[string, unknown]> {
  if (Array.isArray(expression)) for (const e of expression) yield* entriesOf(e);
  else if (expression && typeof expression === 'object') {
    for (const [key, value] of Object.entries(expression)) {
      yield [key, value];
      yield* entriesOf(value);
    }
  }
}

/** Every name an expression refers to with Ref. */
function refsUsed(expression: unknown, found = new Set<string>()): Set<string> {
  for (const [key, value] of entriesOf(expression)) if (key === 'Ref') found.add(value as string);
  return found;
}

/** Every rule function name used in an expression. */
function functionsUsed(expression: unknown, found = new Set<string>()): Set<string> {
  for (const [key] of entriesOf(expression)) found.add(key);
  return found;
}

const REQUIRED = { ClusterName: 'payments', ClusterAdminRoleName: 'PaymentsAdmin' };

/** A launch's parameter values: the template defaults, the required values, and `overrides`. */
function launchValues(overrides: Record<string, string> = {}): Record<string, string> {
  const defaults = Object.fromEntries(
    Object.entries(parameters)
      .filter(([, p]) => p.Default !== undefined)
      .map(([name, p]) => [name, String(p.Default)]),
  );
  return { ...defaults, ...REQUIRED, ...overrides };
}

/** Assertion descriptions of every rule that fails for a launch with `overrides`. */
function failedRules(overrides: Record<string, string> = {}): string[] {
  const values = launchValues(overrides);
  const failed: string[] = [];
  for (const rule of Object.values(allRules)) {
    if (rule.RuleCondition !== undefined && !evaluate(rule.RuleCondition, values)) continue;
    for (const assertion of rule.Assertions) {
      if (evaluate(assertion.Assert, values) !== true)
        failed.push(assertion.AssertDescription ?? JSON.stringify(assertion.Assert));
    }
  }
  return failed;
}

/** Everything that stops a launch with `overrides` before anything is created: parameter constraints and rules. */
function launchRejections(overrides: Record<string, string> = {}): string[] {
  const values = launchValues(overrides);
  const constraints = Object.keys(parameters).flatMap((name) =>
    parameterViolations(name, values[name] ?? '').map((v) => `${name}: ${v}`),
  );
  return [...constraints, ...failedRules(overrides)];
}

// ---------------------------------------------------------------------------------------------------------------

describe('free-text parameters: AllowedPattern evaluated as a regular expression', () => {
  const ROLE = 'PaymentsAdmin';
  // Whole ARNs are refused too: the access entry builds the ARN in the launching account (no foreign account's role).
  const BAD_ROLE_NAMES = [
    'arn:aws:iam::111122223333:role/PaymentsAdmin',
    'arn:aws:iam::444455556666:role/PaymentsAdmin',
    'arn:aws:iam::111122223333:root',
    'Admin*',
    'Ad?min',
    'teams/',
    '/PaymentsAdmin',
    ` ${ROLE}`,
    'Payments Admin',
    `A${'b'.repeat(64)}`,
    '*',
    'Admin:root',
  ];
  const GOOD_ROLE_NAMES = [ROLE, 'teams/payments/Admin', 'service-role/eks+admin=1,a.b@c_d-e', `A${'b'.repeat(63)}`];

  test('each free-text parameter carries an anchored AllowedPattern', () => {
    for (const name of [
      'ClusterName',
      'ClusterAdminRoleName',
      'NamespaceEditorRoleName',
      'NamespaceViewerRoleName',
      'ExistingVpcId',
    ]) {
      expect(parameters[name].AllowedPattern).toMatch(/^\^.*\$$/);
    }
  });

  test.each(['payments', 'a', 'Payments-Prod-2', `A${'b'.repeat(99)}`])('ClusterName %p is accepted', (name) => {
    expect(parameterViolations('ClusterName', name)).toEqual([]);
  });

  test.each<[string, string, string[]]>([
    ['starting with a digit', '1payments', ['AllowedPattern']],
    ['starting with a hyphen', '-payments', ['AllowedPattern']],
    ['with an underscore', 'payments_prod', ['AllowedPattern']],
    ['with a dot', 'payments.prod', ['AllowedPattern']],
    ['with a space', 'payments prod', ['AllowedPattern']],
    ['that is CIDR junk', '0.0.0.0/0', ['AllowedPattern']],
    ['with shell junk', 'payments;rm -rf /', ['AllowedPattern']],
    ['empty', '', ['MinLength', 'AllowedPattern']],
    ['of 101 characters', `a${'b'.repeat(100)}`, ['MaxLength', 'AllowedPattern']],
  ])('ClusterName %s is rejected', (_name, value, violations) => {
    expect(parameterViolations('ClusterName', value)).toEqual(violations);
  });

  test.each(GOOD_ROLE_NAMES)('ClusterAdminRoleName %p is accepted', (name) => {
    expect(parameterViolations('ClusterAdminRoleName', name)).toEqual([]);
  });

  test.each([...BAD_ROLE_NAMES, ''])('ClusterAdminRoleName %p is rejected', (name) => {
    expect(parameterViolations('ClusterAdminRoleName', name)).toEqual(['AllowedPattern']);
  });

  test.each(['NamespaceEditorRoleName', 'NamespaceViewerRoleName'])(
    '%s is optional: empty or a role name, nothing else',
    (name) => {
      expect(parameters[name].Default).toBe('');
      expect(parameterViolations(name, '')).toEqual([]);
      for (const role of GOOD_ROLE_NAMES) expect([role, parameterViolations(name, role)]).toEqual([role, []]);
      for (const role of BAD_ROLE_NAMES)
        expect([role, parameterViolations(name, role)]).toEqual([role, ['AllowedPattern']]);
    },
  );

  test.each(['', 'vpc-1a2b3c4d', 'vpc-0123456789abcdef0'])('ExistingVpcId %p is accepted', (id) => {
    expect(parameterViolations('ExistingVpcId', id)).toEqual([]);
  });

  test.each([
    'vpc-123',
    'vpc-0123456789abcdef01',
    'VPC-0123456789ABCDEF0',
    'vpc-0123456789ABCDEF0',
    'subnet-0123456789abcdef0',
    'vpc-0123456789abcdef0,vpc-1a2b3c4d',
    '0.0.0.0/0',
    'default',
  ])('ExistingVpcId %p is rejected', (id) => {
    expect(parameterViolations('ExistingVpcId', id)).toEqual(['AllowedPattern']);
  });
});

describe('choice parameters: AllowedValues are exactly the configured lists', () => {
  test('KubernetesVersion offers the configured versions and defaults to the last', () => {
    expect(parameters.KubernetesVersion.AllowedValues).toEqual(settings.kubernetesVersions);
    expect(parameters.KubernetesVersion.Default).toBe(
      settings.kubernetesVersions[settings.kubernetesVersions.length - 1],
    );
    for (const v of settings.kubernetesVersions) expect(accepts('KubernetesVersion', v)).toBe(true);
  });

  test.each(['1.34', '1.37', '1.36.0', 'v1.36', 'latest', ''])('KubernetesVersion %p is rejected', (v) => {
    expect(parameterViolations('KubernetesVersion', v)).toEqual(['AllowedValues']);
  });

  test('NodeInstanceType offers the configured types and defaults to the first', () => {
    expect(parameters.NodeInstanceType.AllowedValues).toEqual(settings.instanceTypes);
    expect(parameters.NodeInstanceType.Default).toBe(settings.instanceTypes[0]);
    for (const t of settings.instanceTypes) expect(accepts('NodeInstanceType', t)).toBe(true);
  });

  test.each(['m7g.large', 'm7i.48xlarge', 'p5.48xlarge', 't3.micro', 'M7I.LARGE', ''])(
    'NodeInstanceType %p is rejected',
    (t) => {
      expect(parameterViolations('NodeInstanceType', t)).toEqual(['AllowedValues']);
    },
  );

  test('VpcMode is CreateVpc or ExistingVpc', () => {
    expect(accepts('VpcMode', 'CreateVpc')).toBe(true);
    expect(accepts('VpcMode', 'ExistingVpc')).toBe(true);
    expect(accepts('VpcMode', 'createvpc')).toBe(false);
    expect(accepts('VpcMode', 'NoVpc')).toBe(false);
  });
});

describe('node counts: bounded to 1..maxNodes', () => {
  test.each(['NodeMinSize', 'NodeMaxSize'])('%s is a Number from 1 to maxNodes', (name) => {
    expect(parameters[name].Type).toBe('Number');
    expect(parameters[name].MinValue).toBe(1);
    expect(parameters[name].MaxValue).toBe(settings.maxNodes);
    expect(parameterViolations(name, '1')).toEqual([]);
    expect(parameterViolations(name, String(settings.maxNodes))).toEqual([]);
    expect(parameterViolations(name, '0')).toEqual(['MinValue']);
    expect(parameterViolations(name, '-1')).toEqual(['MinValue']);
    expect(parameterViolations(name, String(settings.maxNodes + 1))).toEqual(['MaxValue']);
    expect(parameterViolations(name, '1000')).toEqual(['MaxValue']);
    expect(parameterViolations(name, 'ten')).toEqual(['Number']);
  });

  test('the bounds follow the settings: maxNodes 3 makes 3 the largest accepted size and shrinks the defaults', () => {
    const small = parseHardenedEksSettings(
      {
        breakGlassRoleArns: ['arn:aws:iam::111122223333:role/EksBreakGlass'],
        corporateCidrs: ['10.0.0.0/8'],
        corporateEgressCidrs: ['198.51.100.0/24'],
        maxNodes: 3,
        kubernetesVersions: ['1.35'],
        instanceTypes: ['m6i.large'],
      },
      'settings',
    );
    // Built on a bare stack (no synth: a template of parameters only would only draw validation warnings).
    const p = new ProductParameters(new Stack(new App(), 'ParametersOnly'), 'Parameters', small);

    expect([p.nodeMinSize.minValue, p.nodeMinSize.maxValue, p.nodeMinSize.default]).toEqual([1, 3, 2]);
    expect([p.nodeMaxSize.minValue, p.nodeMaxSize.maxValue, p.nodeMaxSize.default]).toEqual([1, 3, 3]);
    expect([p.kubernetesVersion.allowedValues, p.kubernetesVersion.default]).toEqual([['1.35'], '1.35']);
    expect([p.nodeInstanceType.allowedValues, p.nodeInstanceType.default]).toEqual([['m6i.large'], 'm6i.large']);
    expect(p.corporateCidrs.default).toBe('10.0.0.0/8');
  });
});

describe('template rules: combinations are refused before anything is created', () => {
  test('the evaluator knows every rule function the rules use, and every Ref is a parameter', () => {
    const used = new Set<string>();
    const refs = new Set<string>();
    for (const rule of Object.values(allRules)) {
      functionsUsed(rule.RuleCondition, used);
      refsUsed(rule.RuleCondition, refs);
      rule.Assertions.forEach((a) => {
        functionsUsed(a.Assert, used);
        refsUsed(a.Assert, refs);
      });
    }
    expect([...used].filter((fn) => !RULE_FUNCTIONS.includes(fn))).toEqual([]);
    expect([...refs].sort()).toEqual([
      'CorporateCidrs',
      'ExistingPrivateSubnetIds',
      'ExistingVpcId',
      'KubernetesVersion',
      'NodeInstanceType',
      'NodeMaxSize',
      'NodeMinSize',
      'VpcMode',
    ]);
    expect([...refs].filter((name) => !(name in parameters))).toEqual([]);
    expect(Object.keys(allRules)).toEqual(
      expect.arrayContaining(['ExistingVpcNeedsIds', 'CreateVpcTakesNoIds', 'CorporateCidrsApproved']),
    );
    // The portfolio's template constraint is evaluated too.
    expect(Object.keys(allRules).some((k) => k.endsWith('/ApprovedClusterChoices'))).toBe(true);
  });

  test('the defaults (plus the required cluster name and admin role) pass every constraint and rule', () => {
    expect(launchRejections()).toEqual([]);
  });

  const NEEDS_VPC_ID = 'ExistingVpc needs ExistingVpcId';
  const NEEDS_SUBNETS = 'ExistingVpc needs ExistingPrivateSubnetIds, with no empty entry';
  test.each<[string, Record<string, string>, string[]]>([
    [
      'ExistingVpc with an empty ExistingVpcId fails',
      { VpcMode: 'ExistingVpc', ExistingVpcId: '', ExistingPrivateSubnetIds: 'subnet-0a,subnet-0b,subnet-0c' },
      [NEEDS_VPC_ID],
    ],
    [
      'ExistingVpc with a VPC ID but no subnets fails',
      { VpcMode: 'ExistingVpc', ExistingVpcId: 'vpc-0123456789abcdef0', ExistingPrivateSubnetIds: '' },
      [NEEDS_SUBNETS],
    ],
    ['ExistingVpc with neither fails on both', { VpcMode: 'ExistingVpc' }, [NEEDS_VPC_ID, NEEDS_SUBNETS]],
    [
      'CreateVpc with ExistingPrivateSubnetIds fails',
      { VpcMode: 'CreateVpc', ExistingPrivateSubnetIds: 'subnet-0123456789abcdef0' },
      ['CreateVpc creates its own subnets: leave ExistingPrivateSubnetIds empty (or choose ExistingVpc)'],
    ],
    [
      'ExistingVpc with an empty entry among the subnets fails',
      {
        VpcMode: 'ExistingVpc',
        ExistingVpcId: 'vpc-0123456789abcdef0',
        ExistingPrivateSubnetIds: 'subnet-0123456789abcdef0,',
      },
      [NEEDS_SUBNETS],
    ],
    [
      'CreateVpc with an ExistingVpcId fails',
      { VpcMode: 'CreateVpc', ExistingVpcId: 'vpc-0123456789abcdef0' },
      ['CreateVpc creates its own VPC: leave ExistingVpcId empty (or choose ExistingVpc)'],
    ],
  ])('%s', (_name, parameters, failed) => {
    expect(failedRules(parameters)).toEqual(failed);
  });

  test('ExistingVpc with a VPC ID and subnets passes', () => {
    expect(
      launchRejections({
        VpcMode: 'ExistingVpc',
        ExistingVpcId: 'vpc-0123456789abcdef0',
        ExistingPrivateSubnetIds: 'subnet-0a,subnet-0b,subnet-0c',
      }),
    ).toEqual([]);
  });

  test.each([
    ['8', '2'],
    ['3', '1'],
    ['10', '9'],
  ])('NodeMinSize %s above NodeMaxSize %s fails', (min, max) => {
    expect(failedRules({ NodeMinSize: min, NodeMaxSize: max })).toEqual([
      `With NodeMinSize ${min}, NodeMaxSize must be from ${min} to ${settings.maxNodes}`,
    ]);
  });

  test.each([
    ['1', '1'],
    ['2', '10'],
    ['10', '10'],
  ])('NodeMinSize %s with NodeMaxSize %s passes', (min, max) => {
    expect(failedRules({ NodeMinSize: min, NodeMaxSize: max })).toEqual([]);
  });

  test.each([
    ['0.0.0.0/0'],
    ['10.0.0.0/8,0.0.0.0/0'],
    ['172.16.0.0/12'],
    ['10.0.0.0/9'],
    ['10.0.0.0/8,192.168.0.0/16,8.8.8.8/32'],
  ])('CorporateCidrs %p (a range not approved) fails the product rule and the portfolio constraint', (cidrs) => {
    const failed = failedRules({ CorporateCidrs: cidrs });

    expect(failed).toEqual([
      expect.stringMatching(/^CorporateCidrs must be among the approved ranges: 10\.0\.0\.0\/8, 192\.168\.0\.0\/16$/),
      expect.stringMatching(/^CorporateCidrs must be among 10\.0\.0\.0\/8, 192\.168\.0\.0\/16$/),
    ]);
  });

  test.each(['10.0.0.0/8', '192.168.0.0/16', '192.168.0.0/16,10.0.0.0/8'])(
    'CorporateCidrs %p (approved ranges) passes',
    (cidrs) => {
      expect(launchRejections({ CorporateCidrs: cidrs })).toEqual([]);
    },
  );

  test('the portfolio constraint refuses a version or instance type outside the configured lists', () => {
    expect(failedRules({ KubernetesVersion: '1.34' })).toEqual([
      `KubernetesVersion must be one of ${settings.kubernetesVersions.join(', ')}`,
    ]);
    expect(failedRules({ NodeInstanceType: 'm7g.large' })).toEqual([
      `NodeInstanceType must be one of ${settings.instanceTypes.join(', ')}`,
    ]);
  });
});
