import { ADMIN_API_ACTIONS } from '../../lib/identity/admin-api-guardrail';
import {
  ACCESS_ENTRY_EVENT_NAMES,
  ADMIN_API_EVENT_NAMES,
  ALERT_PUBLISHER_SERVICES,
  CLUSTER_CREATION_EVENT_NAMES,
} from '../../lib/detection/security-alerts';
import { PRODUCT_TAG_KEY } from '../../lib/detection/product-config-rules';
import { decide, type IamRequest, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { resourcesOfType } from '../support/project-app';
import { runCfnLint } from '../support/template-checkers';
import { DetectionFixture, synthesizeDetectionFixture } from './detection-fixture';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const CLUSTER = 'prod';
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`;
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-0000-0000-0000-000000000000`;
const SAME_ACCOUNT_ROLE = `arn:aws:iam::${ACCOUNT}:role/Operator`;
const OUTSIDER = `arn:aws:iam::${OTHER_ACCOUNT}:role/Outsider`;
const allowPublish: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
};

const publish = (principalArn: string, context: Record<string, string>): IamRequest => ({
  principalArn,
  action: 'sns:Publish',
  resourceArn: TOPIC_ARN,
  context,
});
const overTls = (sourceAccount?: string) => ({
  'aws:SecureTransport': 'true',
  ...(sourceAccount ? { 'aws:SourceAccount': sourceAccount } : {}),
});

describe('security alerts (CC-DET, ADM-1..36)', () => {
  let fixture: DetectionFixture;
  let topicPolicy: PolicyDocument;
  let keyPolicy: PolicyDocument;
  let topicId: string;
  let patterns: Record<string, any>;

  beforeAll(() => {
    fixture = synthesizeDetectionFixture({ rules: false });
    const [[id]] = resourcesOfType(fixture.template, 'AWS::SNS::Topic');
    topicId = id;
    const [[keyId, key]] = resourcesOfType(fixture.template, 'AWS::KMS::Key');
    const values = { ClusterName: CLUSTER, [topicId]: TOPIC_ARN, [`${keyId}.Arn`]: KEY_ARN };
    const policies = resourcesOfType(fixture.template, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(1);
    topicPolicy = resolveIntrinsics(policies[0][1].Properties.PolicyDocument, values);
    keyPolicy = resolveIntrinsics(key.Properties.KeyPolicy, values);
    patterns = Object.fromEntries(
      resourcesOfType(fixture.template, 'AWS::Events::Rule').map(([, r]) => [
        r.Properties.Description,
        resolveIntrinsics(r.Properties, values),
      ]),
    );
  });

  test('the event names are the guarded APIs (the guardrail list) without their eks: prefix', () => {
    expect(ADMIN_API_EVENT_NAMES).toHaveLength(36);
    expect(ADMIN_API_EVENT_NAMES.map((n) => `eks:${n}`)).toEqual([...ADMIN_API_ACTIONS]);
    for (const name of CLUSTER_CREATION_EVENT_NAMES) expect(ADMIN_API_EVENT_NAMES).toContain(name);
    for (const name of ACCESS_ENTRY_EVENT_NAMES) expect(ADMIN_API_EVENT_NAMES).toContain(name);
  });

  test('the topic is encrypted with a rotating customer-managed key and tagged as a product resource', () => {
    const [[, topic]] = resourcesOfType(fixture.template, 'AWS::SNS::Topic');
    const [[keyId, key]] = resourcesOfType(fixture.template, 'AWS::KMS::Key');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(topic.Properties.Tags).toEqual(
      [{ Key: PRODUCT_TAG_KEY, Value: CLUSTER }].map((t) => ({ ...t, Value: { Ref: 'ClusterName' } })),
    );
  });

  test('the key policy admits the alert publishers of this account only, and grants only for AWS services', () => {
    const statements = [keyPolicy.Statement].flat();
    const publishers = statements.find((s) => s.Sid === 'AlertPublishersOfThisAccount');
    expect([...publishers.Principal.Service].sort()).toEqual([...ALERT_PUBLISHER_SERVICES].sort());
    expect(publishers.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    expect(statements.find((s) => s.Sid === 'DenyGrantsOutsideAwsServices')).toMatchObject({
      Effect: 'Deny',
      Action: 'kms:CreateGrant',
    });
  });

  test('email subscriptions for every address', () => {
    const subs = resourcesOfType(fixture.template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subs.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
      ['email', 'platform@example.com'],
      ['email', 'security@example.com'],
    ]);
    for (const s of subs) expect(s.TopicArn).toEqual({ Ref: topicId });
  });

  describe('topic policy, evaluated', () => {
    /** The topic policy's decision on `request`, with the caller's identity policies (a service principal has none). */
    const underTopicPolicy = (request: IamRequest, identityPolicies: PolicyDocument[] = []) =>
      decide({ identityPolicies, resourcePolicy: topicPolicy }, request);

    test.each(ALERT_PUBLISHER_SERVICES)('%s publishing for this account over TLS is allowed', async (service) => {
      expect(await underTopicPolicy(publish(service, overTls(ACCOUNT)))).toBe('Allowed');
    });
    test('EventBridge publishing on behalf of another account is not allowed', async () => {
      expect(await underTopicPolicy(publish('events.amazonaws.com', overTls(OTHER_ACCOUNT)))).toBe('ImplicitlyDenied');
    });
    test('another service principal is not allowed', async () => {
      expect(await underTopicPolicy(publish('sqs.amazonaws.com', overTls(ACCOUNT)))).toBe('ImplicitlyDenied');
    });
    test('a role of another account is not allowed, even with its own allow', async () => {
      expect(await underTopicPolicy(publish(OUTSIDER, overTls()), [allowPublish])).toBe('ImplicitlyDenied');
    });
    test('plain HTTP is denied, to a role of the account and to EventBridge alike', async () => {
      const http = { 'aws:SecureTransport': 'false' };
      expect(await underTopicPolicy(publish(SAME_ACCOUNT_ROLE, http), [allowPublish])).toBe('ExplicitlyDenied');
      expect(await underTopicPolicy(publish('events.amazonaws.com', { ...http, 'aws:SourceAccount': ACCOUNT }))).toBe(
        'ExplicitlyDenied',
      );
      // The same role over TLS: the topic policy does not stand in the way of the account's own IAM.
      expect(await underTopicPolicy(publish(SAME_ACCOUNT_ROLE, overTls()), [allowPublish])).toBe('Allowed');
    });

    test("weakened: without the source-account condition, another account's rules could publish; without the deny, HTTP passes", async () => {
      const statements = [topicPolicy.Statement].flat();
      const noSourceAccount = {
        ...topicPolicy,
        Statement: statements.map(({ Condition, ...s }) => (s.Effect === 'Allow' ? s : { ...s, Condition })),
      };
      expect(
        await decide(
          { identityPolicies: [], resourcePolicy: noSourceAccount },
          publish('events.amazonaws.com', overTls(OTHER_ACCOUNT)),
        ),
      ).toBe('Allowed');
      const noTlsDeny = { ...topicPolicy, Statement: statements.filter((s) => s.Effect === 'Allow') };
      expect(
        await decide(
          { identityPolicies: [], resourcePolicy: noTlsDeny },
          publish('events.amazonaws.com', { 'aws:SecureTransport': 'false', 'aws:SourceAccount': ACCOUNT }),
        ),
      ).toBe('Allowed');
    });

    test('every allow in the topic policy carries the source-account condition (no target added its own)', () => {
      const allows = [topicPolicy.Statement].flat().filter((s) => s.Effect === 'Allow');
      expect(allows.length).toBeGreaterThan(0);
      for (const s of allows) expect(s.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    });
  });

  describe('EventBridge rules', () => {
    const rule = (description: string) => {
      const found = patterns[description];
      expect(found).toBeDefined();
      return found;
    };
    const thisCluster = {
      $or: [{ requestParameters: { name: [CLUSTER] } }, { requestParameters: { clusterName: [CLUSTER] } }],
    };

    test('every rule is enabled and publishes to the topic', () => {
      expect(Object.keys(patterns)).toHaveLength(4);
      for (const r of Object.values(patterns)) {
        expect(r.State).toBe('ENABLED');
        expect(r.Targets).toHaveLength(1);
        expect(r.Targets[0].Arn).toBe(TOPIC_ARN);
        expect(r.Targets[0].InputTransformer.InputTemplate).toEqual(expect.any(String));
      }
    });

    test('guarded APIs: the cluster-bound calls on this cluster, cluster creation and registration for any cluster, every one alerted once', () => {
      const admin = rule('Guarded EKS API calls on this cluster (ADM-*)').EventPattern;
      const access = rule('Access entry, access policy and pod identity changes on this cluster').EventPattern;
      const creation = rule('EKS clusters created or registered in this account (ADM-7, ADM-31)').EventPattern;
      expect(admin).toEqual({
        source: ['aws.eks'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['eks.amazonaws.com'],
          eventName: ADMIN_API_EVENT_NAMES.filter(
            (n) => !['CreateCluster', 'RegisterCluster', ...ACCESS_ENTRY_EVENT_NAMES].includes(n),
          ),
          ...thisCluster,
        },
      });
      expect(creation.detail).toEqual({
        eventSource: ['eks.amazonaws.com'],
        eventName: ['CreateCluster', 'RegisterCluster'],
      });
      const alerted = [...admin.detail.eventName, ...creation.detail.eventName, ...access.detail.eventName];
      expect(alerted.filter((n, i) => alerted.indexOf(n) !== i)).toEqual([]);
      expect([...alerted].sort()).toEqual([...ADMIN_API_EVENT_NAMES].sort());
    });

    test('access-entry and pod-identity changes on this cluster', () => {
      const access = rule('Access entry, access policy and pod identity changes on this cluster').EventPattern;
      expect(access.source).toEqual(['aws.eks']);
      expect(access.detail).toEqual({
        eventSource: ['eks.amazonaws.com'],
        eventName: [...ACCESS_ENTRY_EVENT_NAMES],
        ...thisCluster,
      });
      expect(ACCESS_ENTRY_EVENT_NAMES).toHaveLength(8);
    });

    test('GuardDuty findings on this cluster from medium severity', () => {
      expect(rule('GuardDuty findings on this cluster').EventPattern).toEqual({
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: {
          resource: { resourceType: ['EKSCluster'], eksClusterDetails: { name: [CLUSTER] } },
          severity: [{ numeric: ['>=', 4] }],
        },
      });
    });

    test('the alert text names the call, the caller and the source address', () => {
      const transformer = rule('Guarded EKS API calls on this cluster (ADM-*)').Targets[0].InputTransformer;
      expect(Object.values(transformer.InputPathsMap)).toEqual(
        expect.arrayContaining([
          '$.detail.eventName',
          '$.detail.userIdentity.arn',
          '$.detail.sourceIPAddress',
          '$.detail.eventID',
        ]),
      );
    });
  });

  test('another minimum finding severity is passed through', () => {
    const low = synthesizeDetectionFixture({ rules: false, alerts: { minimumFindingSeverity: 7 } });
    const guardDuty = resourcesOfType(low.template, 'AWS::Events::Rule').find(
      ([, r]) => r.Properties.EventPattern.source[0] === 'aws.guardduty',
    )!;
    expect(guardDuty[1].Properties.EventPattern.detail.severity).toEqual([{ numeric: ['>=', 7] }]);
  });

  test('cfn-lint reports no error on the alerts', () => {
    expect(runCfnLint([fixture.templateFile]).filter((f) => f.level === 'error')).toEqual([]);
  });
});
