import { decide, expectDecisionOn, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, synthesizeCatalog } from '../support/project-app';
import { onlyResource, resolveIntrinsics } from './catalog-helpers';

/**
 * The product roles' permissions boundary, taken from the synthesized hub template, evaluated with the IAM simulator
 * for a product role whose own policy grants everything: what the boundary leaves is all such a role could ever do.
 */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const PRODUCT_ROLE = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/SC-111122223333-pp-abc-NodeRole-1A2B`;
const ADMIN: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

let boundary: PolicyDocument;
let boundaryPath: string;

beforeAll(() => {
  const synth = synthesizeCatalog(defaultConfig());
  const [, policy] = onlyResource(
    synth.catalog.toJSON(),
    'AWS::IAM::ManagedPolicy',
    (r) => r.Properties.ManagedPolicyName === 'HardenedEksRoleBoundary',
  );
  boundaryPath = policy.Properties.Path;
  boundary = resolveIntrinsics(policy.Properties.PolicyDocument);
});

const asBoundedAdmin = (action: string, resourceArn: string, context?: Record<string, string | string[]>) =>
  decide(
    { identityPolicies: [ADMIN], permissionsBoundary: boundary },
    { principalArn: PRODUCT_ROLE, action, resourceArn, context },
  );

test("the boundary sits outside the product's /hardened-eks/ path, where the launch role cannot change it", () => {
  expect(boundaryPath).toBe('/hardened-eks-boundary/');
});

test("leaves what the product's roles do: read images, write logs, describe the cluster, revoke sessions of product and workload roles", async () => {
  expect(await asBoundedAdmin('ecr:BatchGetImage', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/workloads`)).toBe(
    'Allowed',
  );
  expect(await asBoundedAdmin('logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:x:log-stream:y`)).toBe(
    'Allowed',
  );
  expect(await asBoundedAdmin('eks:DescribeCluster', `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/x`)).toBe('Allowed');
  expect(await asBoundedAdmin('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/hardened-eks/x`)).toBe('Allowed');
  expect(await asBoundedAdmin('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/workloads/app`)).toBe('Allowed');
  expect(await asBoundedAdmin('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/hardened-eks/x`)).toBe('Allowed');
});

test('a role with an admin policy still cannot call the EKS admin APIs', async () => {
  const cluster = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/x`;
  const entry = `arn:aws:eks:${REGION}:${ACCOUNT}:access-entry/x/role/${ACCOUNT}/Admin/0a1b2c3d`;
  for (const [action, resource] of [
    ['eks:DeleteCluster', cluster],
    ['eks:UpdateClusterConfig', cluster],
    ['eks:CreateAccessEntry', cluster],
    ['eks:AssociateAccessPolicy', entry],
    ['eks:CreatePodIdentityAssociation', cluster],
  ]) {
    expectDecisionOn(action, await asBoundedAdmin(action, resource), 'ExplicitlyDenied');
  }
});

test('nor mint or widen an identity: roles, users, keys, policies, trust, boundaries', async () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/x`;
  for (const [action, resource] of [
    ['iam:CreateRole', role],
    ['iam:AttachRolePolicy', role],
    ['iam:UpdateAssumeRolePolicy', role],
    ['iam:DeleteRolePermissionsBoundary', role],
    ['iam:PutRolePermissionsBoundary', role],
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`],
    ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/x`],
    ['iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/x`],
    ['iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/hardened-eks-boundary/HardenedEksRoleBoundary`],
  ]) {
    expectDecisionOn(action, await asBoundedAdmin(action, resource), 'ExplicitlyDenied');
  }
});

test('nor write inline policies on, pass or assume roles outside the product (and the revocable workload path)', async () => {
  const foreign = `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`;
  expect(await asBoundedAdmin('iam:PutRolePolicy', foreign)).toBe('ExplicitlyDenied');
  expect(await asBoundedAdmin('iam:PassRole', foreign)).toBe('ExplicitlyDenied');
  expect(await asBoundedAdmin('sts:AssumeRole', foreign)).toBe('ExplicitlyDenied');
  expect(await asBoundedAdmin('sts:AssumeRole', 'arn:aws:iam::999988887777:role/Anything')).toBe('ExplicitlyDenied');
  expect(await asBoundedAdmin('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/workloads/app`)).toBe('ExplicitlyDenied');
});

test('nor blind detection or leave the organization', async () => {
  for (const [action, resource] of [
    ['cloudtrail:StopLogging', `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org`],
    ['guardduty:DeleteDetector', `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/abc`],
    ['config:StopConfigurationRecorder', '*'],
    ['organizations:LeaveOrganization', '*'],
  ]) {
    expectDecisionOn(action, await asBoundedAdmin(action, resource), 'ExplicitlyDenied');
  }
});
