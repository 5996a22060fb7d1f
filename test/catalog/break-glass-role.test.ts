import { decide, expectDecisionOn, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, defaultSettings, synthesizeCatalog } from '../support/project-app';
import { onlyResource, resolveIntrinsics } from './catalog-helpers';

/**
 * The break-glass role every launching account gets beside the launch role (here: the hub's), from the synthesized
 * hub template, evaluated with the IAM simulator for account 111122223333.
 */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const config = defaultConfig();
const settings = defaultSettings(config);
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/${settings.breakGlassRoleName}`;
const CLUSTER = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/team-a`;
const CORPORATE_IP = settings.corporateEgressCidrs[0].replace(/\.0\/\d+$/, '.20');

let role: any;
let policy: PolicyDocument;
let trust: PolicyDocument;

beforeAll(() => {
  [, role] = onlyResource(
    synthesizeCatalog(config).catalog.toJSON(),
    'AWS::IAM::Role',
    (r) => r.Properties.RoleName === settings.breakGlassRoleName,
  );
  policy = resolveIntrinsics(role.Properties.Policies[0].PolicyDocument);
  trust = resolveIntrinsics(role.Properties.AssumeRolePolicyDocument);
});

const asBreakGlass = (action: string, resourceArn: string, context: Record<string, string> = {}) =>
  decide({ identityPolicies: [policy] }, { principalArn: BREAK_GLASS, action, resourceArn, context });

test("only the security team's break-glass identities may assume it", async () => {
  const assume = (principalArn: string) =>
    decide(
      {
        identityPolicies: [
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
        ],
        resourcePolicy: trust,
      },
      { principalArn, action: 'sts:AssumeRole', resourceArn: BREAK_GLASS },
    );
  for (const identity of settings.breakGlassRoleArns) expect(await assume(identity)).toBe('Allowed');
  expect(await assume(`arn:aws:iam::${ACCOUNT}:role/Developer`)).toBe('ImplicitlyDenied');
  expect(await assume('arn:aws:iam::999988887777:role/EksBreakGlass')).toBe('ImplicitlyDenied');
});

test("it administers this account's clusters from the corporate egress addresses", async () => {
  for (const action of ['eks:UpdateClusterConfig', 'eks:CreateAccessEntry', 'eks:DeleteCluster']) {
    expectDecisionOn(action, await asBreakGlass(action, CLUSTER, { 'aws:SourceIp': CORPORATE_IP }), 'Allowed');
  }
});

test("its own policy holds nothing from elsewhere, nor on another account's clusters (whatever the guardrail says)", async () => {
  expect(await asBreakGlass('eks:UpdateClusterConfig', CLUSTER, { 'aws:SourceIp': '203.0.113.5' })).toBe(
    'ImplicitlyDenied',
  );
  expect(await asBreakGlass('eks:UpdateClusterConfig', CLUSTER)).toBe('ImplicitlyDenied');
  expect(
    await asBreakGlass('eks:UpdateClusterConfig', `arn:aws:eks:${REGION}:999988887777:cluster/x`, {
      'aws:SourceIp': CORPORATE_IP,
    }),
  ).toBe('ImplicitlyDenied');
});

test('it holds nothing outside EKS', async () => {
  expect(await asBreakGlass('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/x`, { 'aws:SourceIp': CORPORATE_IP })).toBe(
    'ImplicitlyDenied',
  );
  expect(await asBreakGlass('s3:GetObject', 'arn:aws:s3:::evidence/x', { 'aws:SourceIp': CORPORATE_IP })).toBe(
    'ImplicitlyDenied',
  );
});

test('with corporate VPC endpoints, it works through them too', async () => {
  const endpoint = 'vpce-0123456789abcdef0';
  const withEndpoints = defaultConfig({ corporateVpcEndpointIds: [endpoint] });
  const [, endpointRole] = onlyResource(
    synthesizeCatalog(withEndpoints).catalog.toJSON(),
    'AWS::IAM::Role',
    (r) => r.Properties.RoleName === settings.breakGlassRoleName,
  );
  const document = resolveIntrinsics(endpointRole.Properties.Policies[0].PolicyDocument);
  const attempt = (context: Record<string, string>) =>
    decide(
      { identityPolicies: [document] },
      { principalArn: BREAK_GLASS, action: 'eks:UpdateClusterConfig', resourceArn: CLUSTER, context },
    );
  expect(await attempt({ 'aws:SourceVpce': endpoint })).toBe('Allowed');
  expect(await attempt({ 'aws:SourceVpce': 'vpce-0fedcba9876543210' })).toBe('ImplicitlyDenied');
});
