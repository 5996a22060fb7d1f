import fc from 'fast-check';
import { evaluateTemplate, Evaluation } from '../../../nag-rules/core/evaluate';
import {
  holdersOfPolicy,
  isPermissionsBoundary,
  policiesOfPrincipal,
  principalAccount,
} from '../../../nag-rules/core/iam-principals';
import { addonConfiguration, kubernetesConfigurations } from '../../../nag-rules/core/kubernetes-configuration';
import { CLUSTER_TYPES, HELM_CHART_TYPES, KUBERNETES_RESOURCE_TYPES } from '../../../nag-rules/core/kubernetes-objects';
import { appliesTo } from '../../../nag-rules/core/rule';
import { findSecrets } from '../../../nag-rules/core/secret-patterns';
import { isObject, TemplateModel } from '../../../nag-rules/core/template-model';
import { readUserData, userDataConcerns } from '../../../nag-rules/core/user-data';
import { possibleValues } from '../../../nag-rules/core/values';
import { ALL_RULES } from '../../../nag-rules/rules';
import { synthesizeCatalog } from '../../support/project-app';

/**
 * Property-based robustness of the pack: whatever template it is given — random JSON, resources of every type the
 * rules know with properties replaced by intrinsic functions, missing or of the wrong type, Kubernetes manifests
 * that are not JSON, or the real product template with random subtrees mangled — `evaluateTemplate` never throws,
 * judges every resource a rule applies to, and returns evaluations of a valid shape. Fixed seeds keep runs
 * reproducible; a failure prints the seed and the shrunk counterexample.
 *
 * @long-running evaluates the whole product template hundreds of times (long-running-first-sequencer.js)
 */

const SEED = 20261122;
const RUNS = 300;
const STATUSES = ['pass', 'fail', 'not-applicable'];
const RULE_IDS = new Set(ALL_RULES.map((r) => r.controlId));

let product: Record<string, any>;
/** Every resource type the rules, the core or the product know. */
let types: string[];
/** Every object key of the product template (property names rules read). */
let keys: string[];
/** Real properties of the product's resources, by type. */
let examples: Record<string, Record<string, unknown>[]>;
/** Every path of the product template, for mangling. */
let paths: (string | number)[][];

beforeAll(() => {
  product = synthesizeCatalog().productJson;
  const resources = Object.entries(product.Resources as Record<string, any>);
  types = [
    ...new Set([
      ...ALL_RULES.flatMap((r) => r.resourceTypes),
      ...CLUSTER_TYPES,
      ...KUBERNETES_RESOURCE_TYPES,
      ...HELM_CHART_TYPES,
      ...resources.map(([, r]) => r.Type as string),
    ]),
  ].sort();
  examples = {};
  for (const [, r] of resources) {
    examples[r.Type] ??= [];
    examples[r.Type].push(r.Properties ?? {});
  }
  const keySet = new Set<string>();
  paths = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (at.length > 0) paths.push(at);
    if (Array.isArray(value))
      value.forEach((v, i) => {
        walk(v, [...at, i]);
      });
    else if (isObject(value))
      for (const [k, v] of Object.entries(value)) {
        keySet.add(k);
        walk(v, [...at, k]);
      }
  };
  walk(product, []);
  keys = [...keySet].sort();
}, 180_000);

/** Valid evaluations: one per (resource, applicable rule), with a known rule, status and findings. */
/** How many rules of the pack judge a resource type (worked out here, from the rules' own lists, once per type). */
const applicableRuleCounts = new Map<string, number>();
function applicableRules(type: string): number {
  let count = applicableRuleCounts.get(type);
  if (count === undefined) {
    count = ALL_RULES.filter((rule) => appliesTo(rule, type)).length;
    applicableRuleCounts.set(type, count);
  }
  return count;
}

/**
 * Every resource judged by every rule that applies to it, and every evaluation of a valid shape. The problems of all
 * evaluations are gathered and asserted once, so a failure lists each offending evaluation (hundreds of templates of
 * a thousand evaluations each are checked: one assertion per evaluation cost more than the evaluations).
 */
function expectValidEvaluations(template: unknown, evaluations: Evaluation[]): void {
  const resources = isObject(template) && isObject(template.Resources) ? Object.entries(template.Resources) : [];
  const expected = resources
    .filter(([, r]) => isObject(r) && typeof r.Type === 'string')
    .reduce((n, [, r]) => n + applicableRules(r.Type), 0);
  expect(evaluations).toHaveLength(expected);
  const invalid: { logicalId: string; problems: string[] }[] = [];
  for (const e of evaluations) {
    const problems: string[] = [];
    if (!STATUSES.includes(e.status)) problems.push(`status ${String(e.status)}`);
    if (!RULE_IDS.has(e.controlId) || e.ruleId !== `EksThreatModel-${e.controlId}`)
      problems.push(`rule ${e.ruleId}/${e.controlId}`);
    if (!Array.isArray(e.findings)) problems.push('findings is not a list');
    else {
      if ((e.status === 'fail') !== e.findings.length > 0)
        problems.push(`status ${e.status} with ${e.findings.length} findings`);
      for (const f of e.findings)
        if (!isObject(f) || typeof f.message !== 'string' || f.message.length === 0)
          problems.push(`finding ${JSON.stringify(f)}`);
      // evaluateResource turns an exception into a finding; a rule that throws is a bug all the same.
      for (const f of e.findings)
        if (isObject(f) && String(f.message).startsWith(RULE_THREW)) problems.push(`${e.ruleId} threw: ${f.message}`);
      // Placeholders and CDK tokens are internal spellings: a message names the value instead.
      for (const f of e.findings)
        if (isObject(f) && String(f.message).includes('${Token'))
          problems.push(`${e.ruleId} shows a raw token: ${f.message}`);
    }
    if (problems.length) invalid.push({ logicalId: e.logicalId, problems });
  }
  expect(invalid).toEqual([]);
}

/** How `evaluateResource` words a rule that threw. */
const RULE_THREW = 'the rule could not evaluate this resource';

/** Evaluations made by the properties, by status: shows they judge resources rather than skip them. */
const judged: Record<string, number> = {};

function evaluateSafely(template: unknown): Evaluation[] {
  let evaluations: Evaluation[] = [];
  expect(() => {
    evaluations = evaluateTemplate(template, ALL_RULES);
  }).not.toThrow();
  for (const e of evaluations) judged[e.status] = (judged[e.status] ?? 0) + 1;
  return evaluations;
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------------------

const LOGICAL_IDS = [
  'Cluster',
  'NodeGroup',
  'LaunchTemplate',
  'NodeRole',
  'ClusterSg',
  'Repo',
  'Manifest',
  'Chart',
  'Param',
  'A',
];
const KINDS = [
  'Namespace',
  'Pod',
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'ClusterRole',
  'Role',
  'ClusterRoleBinding',
  'RoleBinding',
  'ServiceAccount',
  'NetworkPolicy',
  'ConfigMap',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'Installation',
  'EC2NodeClass',
  'NodePool',
  'Secret',
];

/** Intrinsic functions (well-formed and malformed) around a value, referring to `ids`. */
function intrinsicOf(ids: readonly string[], inner: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const id = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 6 }));
  return fc.oneof(
    id.map((r) => ({ Ref: r })),
    fc
      .tuple(id, fc.constantFrom('Arn', 'Endpoint', 'GroupId', 'LatestVersionNumber', 'x'))
      .map((t) => ({ 'Fn::GetAtt': t })),
    fc.tuple(id, fc.constantFrom('Arn', 'Id')).map(([r, a]) => ({ 'Fn::GetAtt': `${r}.${a}` })),
    fc.tuple(fc.string({ maxLength: 6 }), inner, inner).map((t) => ({ 'Fn::If': t })),
    fc.tuple(fc.constantFrom('', ',', '"', '\n'), fc.array(inner, { maxLength: 4 })).map((t) => ({ 'Fn::Join': t })),
    fc.string({ maxLength: 8 }).map((s) => ({ 'Fn::ImportValue': s })),
    fc.tuple(fc.integer({ min: -1, max: 3 }), inner).map((t) => ({ 'Fn::Select': t })),
    fc.tuple(fc.constantFrom(',', ''), inner).map((t) => ({ 'Fn::Split': t })),
    fc.string({ maxLength: 12 }).map((s) => ({ 'Fn::Sub': s })),
    // Malformed: wrong arity or type.
    fc.constantFrom(
      { 'Fn::If': [] },
      { 'Fn::Join': 5 },
      { 'Fn::Join': ['', 'x'] },
      { 'Fn::GetAtt': [] },
      { 'Fn::GetAtt': 7 },
      { Ref: null },
      { 'Fn::Select': 'x' },
      { 'Fn::If': ['c', 1] },
      {},
    ),
  );
}

/** A Kubernetes manifest as the kubectl resource carries it: JSON text, broken JSON, or a join with tokens inside. */
function manifestOf(ids: readonly string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const object = fc.record(
    {
      apiVersion: fc.constantFrom(
        'v1',
        'apps/v1',
        'rbac.authorization.k8s.io/v1',
        'batch/v1',
        'networking.k8s.io/v1',
        'karpenter.k8s.aws/v1',
      ),
      kind: fc.constantFrom(...KINDS),
      metadata: fc.record(
        { name: fc.string({ maxLength: 6 }), namespace: fc.option(fc.string({ maxLength: 6 })) },
        { requiredKeys: [] },
      ),
      spec: fc.jsonValue({ maxDepth: 3 }),
      rules: fc.jsonValue({ maxDepth: 2 }),
      subjects: fc.jsonValue({ maxDepth: 2 }),
      roleRef: fc.jsonValue({ maxDepth: 2 }),
      webhooks: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: ['kind'] },
  );
  const text = fc.array(object, { maxLength: 3 }).map((list) => JSON.stringify(list));
  return fc.oneof(
    text,
    fc.tuple(text, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
    fc.tuple(text, fc.nat(), intrinsicOf(ids, value)).map(([t, n, token]) => {
      const at = n % (t.length + 1);
      return { 'Fn::Join': ['', [t.slice(0, at), token, t.slice(at)]] };
    }),
    fc.constantFrom('', 'null', '[1,2]', '{"kind":', '[null]', '"text"', 'not json'),
    fc.jsonValue({ maxDepth: 2 }),
  );
}

/** Node user data as templates carry it: base64 of MIME, cloud-config or shell text, Fn::Base64 of a join, or junk. */
function userDataOf(ids: readonly string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const line = fc.constantFrom(
    'systemctl enable --now sshd',
    'ssh_authorized_keys: [x]',
    'users: [{ name: a, ssh_authorized_keys: [k] }]',
    'runcmd: [ "aws ec2 modify-instance-metadata-options --http-tokens optional" ]',
    '[settings.host-containers.admin]',
    'enabled = true',
    'AKIAZ4RTYPLQ2MNB7XWE',
    'echo hi',
    ': [',
    '\u0000',
  );
  const text = fc
    .tuple(
      fc.constantFrom(
        '#!/bin/bash',
        '#cloud-config',
        '',
        'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Transfer-Encoding: base64\n',
      ),
      fc.array(line, { maxLength: 4 }),
    )
    .map(([head, lines]) => [head, ...lines, '--B--'].join('\n'));
  return fc.oneof(
    text.map((t) => Buffer.from(t).toString('base64')),
    text.map((t) => ({ 'Fn::Base64': t })),
    fc.tuple(text, intrinsicOf(ids, value)).map(([t, token]) => ({ 'Fn::Base64': { 'Fn::Join': ['', [t, token]] } })),
    intrinsicOf(ids, value),
  );
}

/** A random template of resources of the known types. Built lazily: the types come from the synthesized product. */
function templateArbitrary(): fc.Arbitrary<unknown> {
  const ids = LOGICAL_IDS;
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constantFrom('true', 'false', '0.0.0.0/0', '*', 22, '1.36'),
      ),
      intrinsicOf(ids, tie('value')),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 5 })), tie('value'), { maxKeys: 4 }),
    ),
  }));
  const properties = fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 }),
    // A real resource's properties, with some replaced.
    fc
      .tuple(
        fc.constantFrom(...Object.values(examples).flat()),
        fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }),
      )
      .map(([real, replaced]) => ({ ...structuredClone(real), ...replaced })),
    fc.record(
      { Manifest: manifestOf(ids, value), Values: manifestOf(ids, value), ClusterName: intrinsicOf(ids, value) },
      { requiredKeys: [] },
    ),
    // The new readers' inputs: user data (base64, MIME, cloud-config), add-on configuration values, launch configurations.
    fc.record(
      {
        UserData: userDataOf(ids, value),
        ConfigurationValues: manifestOf(ids, value),
        AddonName: fc.constantFrom('coredns', 'vpc-cni', 'kube-proxy'),
        LaunchTemplateData: fc.record({ UserData: userDataOf(ids, value), KeyName: value }, { requiredKeys: [] }),
        LaunchConfigurationName: intrinsicOf(ids, value),
        Selectors: value,
      },
      { requiredKeys: [] },
    ),
    value,
  );
  const resource = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record(
        {
          Type: fc.constantFrom(...types),
          Properties: properties,
          Condition: fc.string({ maxLength: 4 }),
          DependsOn: value,
        },
        { requiredKeys: ['Type'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ Type: value, Properties: properties }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record(
        {
          Resources: fc.dictionary(fc.constantFrom(...ids), resource, { maxKeys: 8 }),
          Parameters: fc.dictionary(
            fc.constantFrom(...ids),
            fc.oneof(
              fc.record(
                { Type: fc.constantFrom('String', 'CommaDelimitedList'), AllowedValues: value, Default: value },
                { requiredKeys: [] },
              ),
              value,
            ),
            { maxKeys: 3 },
          ),
          Rules: value,
          Conditions: value,
        },
        { requiredKeys: ['Resources'] },
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  );
}

/** A replacement for a subtree of the real template. */
function replacementArbitrary(): fc.Arbitrary<unknown> {
  const ids = Object.keys(product.Resources);
  const leaf = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.constantFrom('true', 'false', '0.0.0.0/0', '*', '{', '[1]'),
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) }, // delete the subtree
    { weight: 3, arbitrary: intrinsicOf(ids, leaf) },
    { weight: 2, arbitrary: leaf },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
  );
}

/** The template with the subtree at each path replaced (or deleted for `undefined`). */
function mangle(template: Record<string, any>, edits: [number, unknown][]): Record<string, any> {
  const copy = structuredClone(template);
  for (const [index, replacement] of edits) {
    const at = paths[index % paths.length];
    let parent: any = copy;
    for (const step of at.slice(0, -1)) {
      parent = parent?.[step];
      if (parent === null || typeof parent !== 'object') break;
    }
    if (parent === null || typeof parent !== 'object') continue; // an earlier edit removed or replaced this path
    const last = at[at.length - 1];
    if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
    else parent[last] = replacement;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

test('the arbitraries cover every resource type the rules know', () => {
  expect(types).toEqual(expect.arrayContaining([...new Set(ALL_RULES.flatMap((r) => r.resourceTypes))]));
  expect(types).toEqual(
    expect.arrayContaining(['AWS::EKS::Cluster', ...KUBERNETES_RESOURCE_TYPES, ...HELM_CHART_TYPES]),
  );
  expect(paths.length).toBeGreaterThan(100);
});

test('the real product template evaluates without mangling, every applicable rule judging it', () => {
  const evaluations = evaluateSafely(product);
  expect(evaluations.length).toBeGreaterThan(0);
  expectValidEvaluations(product, evaluations);
});

test('arbitrary and mangled templates never make the pack throw', () => {
  fc.assert(
    fc.property(templateArbitrary(), (template) => {
      expectValidEvaluations(template, evaluateSafely(template));
    }),
    { seed: SEED, numRuns: RUNS },
  );
}, 180_000);

test('resources of every known type with intrinsics, missing properties and wrong types never make the pack throw', () => {
  // Every type in turn, so that no type is left to chance.
  const perType = fc.tuple(fc.nat(), templateArbitrary()).map(([n, template]) => {
    const type = types[n % types.length];
    if (!isObject(template) || !isObject(template.Resources)) return template;
    for (const r of Object.values(template.Resources)) if (isObject(r)) r.Type = type;
    return template;
  });
  fc.assert(
    fc.property(perType, (template) => {
      expectValidEvaluations(template, evaluateSafely(template));
    }),
    { seed: SEED + 1, numRuns: RUNS },
  );
}, 180_000);

test('the real product template with random subtrees mangled never makes the pack throw', () => {
  const edits = fc.array(fc.tuple(fc.nat(), replacementArbitrary()), { minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(edits, (list) => {
      const template = mangle(product, list);
      expectValidEvaluations(template, evaluateSafely(template));
    }),
    { seed: SEED + 2, numRuns: RUNS },
  );
}, 180_000);

test('the shared readers (user data, Kubernetes configuration, folded values, secrets) never throw on any input', () => {
  const reader = fc.tuple(templateArbitrary(), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 200 }));
  fc.assert(
    fc.property(reader, ([template, json, text]) => {
      const model = new TemplateModel(template);
      expect(() => kubernetesConfigurations(model)).not.toThrow();
      for (const input of [json, text, { 'Fn::Base64': text }, Buffer.from(text).toString('base64')]) {
        expect(() => {
          const read = readUserData(input);
          if (read.ok) userDataConcerns(read.parts);
        }).not.toThrow();
        expect(() => addonConfiguration(input)).not.toThrow();
        expect(() => possibleValues(model, input)).not.toThrow();
      }
      expect(() => findSecrets(text)).not.toThrow();
    }),
    { seed: SEED + 3, numRuns: 100 },
  );
}, 120_000);

test('the properties judged many resources, failing and passing ones (they are not vacuous)', () => {
  expect(judged.fail).toBeGreaterThan(RUNS);
  expect(judged.pass).toBeGreaterThan(RUNS / 10);
});

test('mangling changes the template (the property above is not vacuous)', () => {
  const at = paths.findIndex(
    (p) =>
      p.length === 5 &&
      p[0] === 'Resources' &&
      p[3] === 'ResourcesVpcConfig' &&
      p[4] === 'EndpointPublicAccess' &&
      product.Resources[p[1]].Type === 'AWS::EKS::Cluster',
  );
  expect(at).toBeGreaterThanOrEqual(0);
  const before = evaluateSafely(product).find((e) => e.controlId === 'CLU-1');
  const after = evaluateSafely(mangle(product, [[at, { Ref: 'SomeParameter' }]])).find((e) => e.controlId === 'CLU-1');
  expect(before?.status).toBe('pass');
  expect(after?.status).toBe('fail');
  expect(after?.findings.map((f) => f.unresolved)).toEqual([true]);
});

test('IAM-shaped templates (principals, their policies, groups, boundaries, trust) never make the principal readers or the pack throw', () => {
  const ids = ['R', 'U', 'G', 'P', 'M', 'K', 'A'];
  const leaf = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('*', 'iam:PassRole', 'iam:*', 'kms:*', 'arn:aws:iam::444455556666:root', 'default'),
    fc.integer(),
    fc.constant(null),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      leaf,
      intrinsicOf(ids, tie('value')),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom(
          'Effect',
          'Action',
          'NotAction',
          'Resource',
          'Principal',
          'AWS',
          'Service',
          'Federated',
          'Condition',
          'Statement',
          // Templates are JSON: their objects always have a prototype.
          'StringEquals',
          'iam:PassedToService',
          'aws:CalledVia',
          'iam:PermissionsBoundary',
          'Ref',
        ),
        tie('value'),
        { maxKeys: 4, noNullPrototype: true },
      ),
    ),
  }));
  const properties = fc.record(
    {
      AssumeRolePolicyDocument: value,
      PolicyDocument: value,
      KeyPolicy: value,
      Policies: value,
      ManagedPolicyArns: value,
      PermissionsBoundary: value,
      Roles: value,
      Users: value,
      Groups: value,
      RoleName: value,
      UserName: value,
      GroupName: value,
      ManagedPolicyName: value,
      Path: value,
      PrincipalArn: value,
      Type: value,
      KubernetesGroups: value,
      AccessPolicies: value,
      ServiceAccount: value,
      RoleArn: value,
      PodExecutionRoleArn: value,
    },
    { requiredKeys: [] },
  );
  const iamTypes = [
    'AWS::IAM::Role',
    'AWS::IAM::User',
    'AWS::IAM::Group',
    'AWS::IAM::Policy',
    'AWS::IAM::ManagedPolicy',
    'AWS::IAM::UserToGroupAddition',
    'AWS::KMS::Key',
    'AWS::EKS::AccessEntry',
    'AWS::EKS::PodIdentityAssociation',
    'AWS::EKS::FargateProfile',
    'AWS::EKS::Nodegroup',
  ];
  const template = fc.record({
    Resources: fc.dictionary(
      fc.constantFrom(...ids),
      fc.record({ Type: fc.constantFrom(...iamTypes), Properties: properties }),
      { maxKeys: 6, noNullPrototype: true },
    ),
  });
  fc.assert(
    fc.property(template, (t) => {
      const model = new TemplateModel(t);
      for (const id of model.resources.keys()) {
        expect(() => {
          policiesOfPrincipal(model, id);
          holdersOfPolicy(model, id);
          isPermissionsBoundary(model, id);
          for (const v of Object.values(model.resource(id)?.Properties ?? {})) principalAccount(model, v);
        }).not.toThrow();
      }
      expectValidEvaluations(t, evaluateSafely(t));
    }),
    { seed: SEED + 3, numRuns: 100 },
  );
}, 120_000);
