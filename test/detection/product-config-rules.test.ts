import * as config from 'aws-cdk-lib/aws-config';
import {
  EKS_CONTROL_PLANE_LOG_TYPES,
  NODE_CLUSTER_TAG_KEY,
  PRODUCT_CONFIG_RULE_IDENTIFIERS,
  PRODUCT_TAG_KEY,
} from '../../lib/detection/product-config-rules';
import { resolveIntrinsics } from '../support/intrinsics';
import { resourcesOfType } from '../support/project-app';
import { runCfnLint } from '../support/template-checkers';
import { DetectionFixture, synthesizeDetectionFixture } from './detection-fixture';

const CLUSTER = 'prod';
/** The longest cluster name the product's ClusterName parameter admits. */
const LONGEST_CLUSTER = `c${'x'.repeat(99)}`;

/** Identifiers AWS documents as periodic: AWS Config evaluates them account-wide, so they cannot be scoped. */
const PERIODIC = new Set([
  'EKS_ENDPOINT_NO_PUBLIC_ACCESS',
  'EKS_SECRETS_ENCRYPTED',
  'EKS_CLUSTER_LOGGING_ENABLED',
  'VPC_FLOW_LOGS_ENABLED',
  'ECR_PRIVATE_IMAGE_SCANNING_ENABLED',
  'CLOUDWATCH_LOG_GROUP_ENCRYPTED',
  'CMK_BACKING_KEY_ROTATION_ENABLED',
]);
const CLUSTER_SCOPED = ['EKS_CLUSTER_LOG_ENABLED', 'EKS_CLUSTER_SUPPORTED_VERSION'];
const NODE_SCOPED = ['EC2_IMDSV2_CHECK', 'EC2_INSTANCE_NO_PUBLIC_IP'];
const PRODUCT_SCOPED = [
  'INCOMING_SSH_DISABLED',
  'RESTRICTED_INCOMING_TRAFFIC',
  'ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED',
  'ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED',
  'SNS_ENCRYPTED_KMS',
];

type Rule = {
  ConfigRuleName: string;
  Source: { Owner: string; SourceIdentifier: string };
  Scope?: any;
  InputParameters?: any;
  MaximumExecutionFrequency?: string;
};

/** The Config rules of a template with intrinsics resolved for a cluster name, by SourceIdentifier. */
function configRules(template: Record<string, any>, clusterName = CLUSTER): Map<string, Rule> {
  const rules = resourcesOfType(template, 'AWS::Config::ConfigRule').map(
    ([, r]) =>
      resolveIntrinsics(r.Properties, {
        ClusterName: clusterName,
        DefaultSecurityGroupId: 'sg-0123456789abcdef0',
      }) as Rule,
  );
  return new Map(rules.map((r) => [r.Source.SourceIdentifier, r]));
}

/** What is wrong with a launch's rules: missing identifiers, names that are not the launch's own, wrong scopes. */
function ruleProblems(rules: Map<string, Rule>, clusterName = CLUSTER): string[] {
  const problems: string[] = [];
  for (const id of PRODUCT_CONFIG_RULE_IDENTIFIERS) if (!rules.has(id)) problems.push(`${id}: missing`);
  const names = new Set<string>();
  for (const [id, r] of rules) {
    if (r.Source.Owner !== 'AWS') problems.push(`${id}: not an AWS managed rule`);
    if (!r.ConfigRuleName.startsWith(`${clusterName}-`))
      problems.push(`${id}: name ${r.ConfigRuleName} not prefixed with the cluster name`);
    if (r.ConfigRuleName.length > 128) problems.push(`${id}: name longer than 128`);
    if (names.has(r.ConfigRuleName)) problems.push(`${id}: duplicate name`);
    names.add(r.ConfigRuleName);
    if (PERIODIC.has(id) && r.Scope !== undefined) problems.push(`${id}: periodic rule with a scope`);
    if (!PERIODIC.has(id) && r.Scope === undefined) problems.push(`${id}: configuration-change rule without a scope`);
  }
  for (const id of CLUSTER_SCOPED) {
    const scope = rules.get(id)?.Scope;
    if (
      scope &&
      (scope.ComplianceResourceId !== clusterName ||
        JSON.stringify(scope.ComplianceResourceTypes) !== '["AWS::EKS::Cluster"]')
    )
      problems.push(`${id}: not scoped to the cluster`);
  }
  for (const [ids, key] of [
    [NODE_SCOPED, NODE_CLUSTER_TAG_KEY],
    [PRODUCT_SCOPED, PRODUCT_TAG_KEY],
  ] as const) {
    for (const id of ids) {
      const scope = rules.get(id)?.Scope;
      if (scope && (scope.TagKey !== key || scope.TagValue !== clusterName))
        problems.push(`${id}: not scoped by ${key}=${clusterName}`);
    }
  }
  return problems;
}

describe('AWS Config managed rules of the product (CC-DET)', () => {
  let fixture: DetectionFixture;
  let rules: Map<string, Rule>;

  beforeAll(() => {
    fixture = synthesizeDetectionFixture({ defaultSecurityGroup: true, alerts: false });
    rules = configRules(fixture.template);
  });

  test('the identifiers include every control the product requires, once each', () => {
    expect(PRODUCT_CONFIG_RULE_IDENTIFIERS).toEqual(
      expect.arrayContaining([
        'EKS_ENDPOINT_NO_PUBLIC_ACCESS',
        'EKS_SECRETS_ENCRYPTED',
        'EKS_CLUSTER_LOGGING_ENABLED',
        'EKS_CLUSTER_LOG_ENABLED',
        'EKS_CLUSTER_SUPPORTED_VERSION',
        'EC2_IMDSV2_CHECK',
        'INCOMING_SSH_DISABLED',
        'RESTRICTED_INCOMING_TRAFFIC',
        'ECR_PRIVATE_IMAGE_SCANNING_ENABLED',
        'ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED',
      ]),
    );
    expect(new Set(PRODUCT_CONFIG_RULE_IDENTIFIERS).size).toBe(PRODUCT_CONFIG_RULE_IDENTIFIERS.length);
    // Every identifier has a known trigger type in this test: a new rule must be classified here.
    for (const id of PRODUCT_CONFIG_RULE_IDENTIFIERS) {
      expect([
        id,
        PERIODIC.has(id) ||
          [...CLUSTER_SCOPED, ...NODE_SCOPED, ...PRODUCT_SCOPED, 'VPC_DEFAULT_SECURITY_GROUP_CLOSED'].includes(id),
      ]).toEqual([id, true]);
    }
  });

  test('the template has exactly one AWS managed rule per identifier, named, scoped and timed for this launch', () => {
    expect([...rules.keys()].sort()).toEqual([...PRODUCT_CONFIG_RULE_IDENTIFIERS].sort());
    expect(ruleProblems(rules)).toEqual([]);
    for (const [id, r] of rules)
      expect([id, r.MaximumExecutionFrequency]).toEqual([id, PERIODIC.has(id) ? 'TwentyFour_Hours' : undefined]);
  });

  test('the cluster rules name the cluster parameter itself, so each launch scopes to its own cluster', () => {
    for (const id of CLUSTER_SCOPED) {
      const raw = resourcesOfType(fixture.template, 'AWS::Config::ConfigRule').find(
        ([, r]) => r.Properties.Source.SourceIdentifier === id,
      )![1];
      expect(raw.Properties.Scope).toEqual({
        ComplianceResourceTypes: ['AWS::EKS::Cluster'],
        ComplianceResourceId: { Ref: 'ClusterName' },
      });
    }
  });

  test('parameters: all five log types, the oldest supported version, all flows', () => {
    expect(rules.get('EKS_CLUSTER_LOG_ENABLED')!.InputParameters).toEqual({
      logTypes: 'api,audit,authenticator,controllerManager,scheduler',
    });
    expect(EKS_CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(rules.get('EKS_CLUSTER_SUPPORTED_VERSION')!.InputParameters).toEqual({ oldestVersionSupported: '1.30' });
    expect(rules.get('VPC_FLOW_LOGS_ENABLED')!.InputParameters).toEqual({ trafficType: 'ALL' });
    // No secrets key given: any KMS key satisfies the rule.
    expect(rules.get('EKS_SECRETS_ENCRYPTED')!.InputParameters).toBeUndefined();
  });

  test('the default security group rule scopes to the given group only', () => {
    expect(rules.get('VPC_DEFAULT_SECURITY_GROUP_CLOSED')!.Scope).toEqual({
      ComplianceResourceTypes: ['AWS::EC2::SecurityGroup'],
      ComplianceResourceId: 'sg-0123456789abcdef0',
    });
  });

  test('the longest admissible cluster name still gives valid, distinct rule names', () => {
    const longest = configRules(fixture.template, LONGEST_CLUSTER);
    expect(ruleProblems(longest, LONGEST_CLUSTER)).toEqual([]);
    expect(Math.max(...[...longest.values()].map((r) => r.ConfigRuleName.length))).toBeLessThanOrEqual(128);
  });

  test('cfn-lint reports no error on the rules', () => {
    expect(runCfnLint([fixture.templateFile]).filter((f) => f.level === 'error')).toEqual([]);
  });

  describe('the checks catch weakened rules', () => {
    const weakened = (change: (rules: Map<string, Rule>) => void): string[] => {
      const copy = new Map([...rules].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as Rule]));
      change(copy);
      return ruleProblems(copy);
    };

    test('a dropped rule', () => {
      expect(weakened((r) => r.delete('EC2_IMDSV2_CHECK'))).toEqual(['EC2_IMDSV2_CHECK: missing']);
    });
    test('a name without the cluster prefix (two launches would collide)', () => {
      expect(
        weakened((r) => {
          r.get('EKS_SECRETS_ENCRYPTED')!.ConfigRuleName = 'eks-secrets-encrypted';
        }),
      ).toEqual([expect.stringMatching(/^EKS_SECRETS_ENCRYPTED: name .* not prefixed/)]);
    });
    test('a cluster rule scoped to every cluster of the account', () => {
      expect(
        weakened((r) => {
          r.get('EKS_CLUSTER_SUPPORTED_VERSION')!.Scope = { ComplianceResourceTypes: ['AWS::EKS::Cluster'] };
        }),
      ).toEqual(['EKS_CLUSTER_SUPPORTED_VERSION: not scoped to the cluster']);
    });
    test('a tag scope naming another launch, and a configuration-change rule left unscoped', () => {
      expect(
        weakened((r) => {
          r.get('INCOMING_SSH_DISABLED')!.Scope.TagValue = 'other';
          delete r.get('EC2_IMDSV2_CHECK')!.Scope;
        }),
      ).toEqual([
        'EC2_IMDSV2_CHECK: configuration-change rule without a scope',
        `INCOMING_SSH_DISABLED: not scoped by ${PRODUCT_TAG_KEY}=${CLUSTER}`,
      ]);
    });
  });
});

describe('AWS Config managed rules with optional inputs left out or set', () => {
  test('without the default security group there is no unscoped default-security-group rule', () => {
    const rules = configRules(synthesizeDetectionFixture({ alerts: false }).template);
    expect(rules.has('VPC_DEFAULT_SECURITY_GROUP_CLOSED')).toBe(false);
    expect(rules.size).toBe(PRODUCT_CONFIG_RULE_IDENTIFIERS.length - 1);
  });

  test('secrets keys, node tag value and frequency are passed through', () => {
    const rules = configRules(
      synthesizeDetectionFixture({
        alerts: false,
        rules: {
          secretsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/a', 'arn:aws:kms:eu-west-1:111122223333:key/b'],
          nodeTagValue: 'prod-nodes',
          periodicFrequency: config.MaximumExecutionFrequency.ONE_HOUR,
        },
      }).template,
    );
    expect(rules.get('EKS_SECRETS_ENCRYPTED')!.InputParameters).toEqual({
      kmsKeyArns: 'arn:aws:kms:eu-west-1:111122223333:key/a,arn:aws:kms:eu-west-1:111122223333:key/b',
    });
    expect(rules.get('EC2_IMDSV2_CHECK')!.Scope).toEqual({ TagKey: NODE_CLUSTER_TAG_KEY, TagValue: 'prod-nodes' });
    expect(rules.get('CMK_BACKING_KEY_ROTATION_ENABLED')!.MaximumExecutionFrequency).toBe('One_Hour');
  });
});
