import { Template } from 'aws-cdk-lib/assertions';
import { ADMIN_API_ACTIONS, DEPLOYMENT_ROLE_CHANGES } from '../../lib/identity/admin-api-guardrail';
import { isPrivilegedFunctionStatement } from '../../lib/identity/privileged-function-guardrail';
import { LAUNCH_ROLE_NAME, product } from '../../products/hardened-eks';
import { PRODUCT_IAM_PATH } from '../../products/hardened-eks/hardened-eks-product-stack';
import { HardenedEksSettings } from '../../products/hardened-eks/settings';
import { resolveIntrinsics } from '../support/intrinsics';
import { decide, type IamRequest, type PolicyDocument, type PolicySet } from '../support/iam-simulation';
import { defaultConfig, defaultSettings, synthesizeCatalog } from '../support/project-app';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod`;
const NON_ADMIN = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/SCHardenedEksLaunchRole`;
/** Documentation range (TEST-NET-3): outside every corporate range. */
const OUTSIDE_IP = '203.0.113.5';
/** An address CloudFormation might call from: public, outside the corporate ranges. */
const CLOUDFORMATION_IP = '52.94.133.10';

const config = defaultConfig();
const settings: HardenedEksSettings = defaultSettings(config);
const BREAK_GLASS = settings.breakGlassRoleArns[0];

const allowEks: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:*', Resource: '*' }] };

/** An address inside a corporate CIDR (its network address + 1). */
function addressInside(cidr: string): string {
  const [base] = cidr.split('/');
  const parts = base.split('.').map(Number);
  parts[3] += 1;
  return parts.join('.');
}

/** A resource ARN of the right type for each admin action (CreateCluster has no resource type: "*"). */
function resourceFor(action: string): string {
  if (action === 'eks:CreateCluster') return '*';
  if (/Nodegroup/.test(action) && action !== 'eks:CreateNodegroup') return `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/prod/ng/0a1b2c3d-0000-0000-0000-000000000000`;
  if (action === 'eks:DeleteFargateProfile') return `arn:aws:eks:${REGION}:${ACCOUNT}:fargateprofile/prod/fp/0a1b2c3d-0000-0000-0000-000000000000`;
  if (action === 'eks:DisassociateIdentityProviderConfig') return `arn:aws:eks:${REGION}:${ACCOUNT}:identityproviderconfig/prod/oidc/idp/0a1b2c3d-0000-0000-0000-000000000000`;
  return CLUSTER_ARN;
}

const request = (principalArn: string, action: string, sourceIp?: string): IamRequest => ({
  principalArn,
  action,
  resourceArn: resourceFor(action),
  context: sourceIp === undefined ? undefined : { 'aws:SourceIp': sourceIp },
});

describe('admin-API guardrail (ADM-1..12, PV-7)', () => {
  let managedPolicy: PolicyDocument;
  let managedPolicyPath: unknown;
  let scp: PolicyDocument;

  beforeAll(() => {
    const template: Template = synthesizeCatalog(config).product;
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => p.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === 'DenyAdminApisToNonAdmins'));
    expect(policies).toHaveLength(1);
    // The statements on the product's privileged functions are tested in privileged-functions.test.ts.
    const document = policies[0].Properties.PolicyDocument;
    managedPolicy = resolveIntrinsics({ ...document, Statement: document.Statement.filter((s: any) => !isPrivilegedFunctionStatement(s.Sid)) });
    managedPolicyPath = policies[0].Properties.Path;
    const organizationPolicies = product.organizationPolicies!(settings);
    scp = JSON.parse(JSON.stringify(organizationPolicies['admin-api-scp.json']));
  });

  test('the policies are resolved documents of deny statements over the admin APIs and the deployment roles', () => {
    for (const doc of [managedPolicy, scp]) {
      expect(JSON.stringify(doc)).not.toMatch(/Fn::|"Ref"/);
      const statements = [doc.Statement].flat();
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) expect(s.Effect).toBe('Deny');
    }
    expect(ADMIN_API_ACTIONS).toHaveLength(12);
    expect(settings.corporateCidrs.length).toBeGreaterThan(0);
    expect(BREAK_GLASS).toMatch(/^arn:aws:iam::\d{12}:role\//);
  });

  // The guardrail is evaluated the same way as an identity policy next to an eks:* allow, and as an SCP layer.
  const layers: [string, (allow: PolicyDocument) => PolicySet][] = [
    ['managed policy', (allow) => ({ identityPolicies: [allow, managedPolicy] })],
    ['service control policy', (allow) => ({ identityPolicies: [allow], serviceControlPolicies: [scp] })],
  ];

  describe.each(layers)('as a %s', (_name, policiesWith) => {
    test('a non-admin role is explicitly denied eks:DeleteCluster, even from the corporate network', async () => {
      expect(await decide(policiesWith(allowEks), request(NON_ADMIN, 'eks:DeleteCluster', OUTSIDE_IP))).toBe('ExplicitlyDenied');
      expect(await decide(policiesWith(allowEks), request(NON_ADMIN, 'eks:DeleteCluster', addressInside(settings.corporateCidrs[0]))))
        .toBe('ExplicitlyDenied');
    });

    test('a break-glass admin calling eks:UpdateClusterConfig from outside the corporate CIDRs is denied', async () => {
      expect(await decide(policiesWith(allowEks), request(BREAK_GLASS, 'eks:UpdateClusterConfig', OUTSIDE_IP))).toBe('ExplicitlyDenied');
      // Without a source IP (e.g. through a VPC endpoint that is not a corporate one) the admin is denied too.
      expect(await decide(policiesWith(allowEks), request(BREAK_GLASS, 'eks:UpdateClusterConfig'))).toBe('ExplicitlyDenied');
    });

    test.each(settings.corporateCidrs)('a break-glass admin inside corporate CIDR %s is allowed', async (cidr) => {
      expect(await decide(policiesWith(allowEks), request(BREAK_GLASS, 'eks:UpdateClusterConfig', addressInside(cidr)))).toBe('Allowed');
    });

    test('every break-glass role is allowed from the corporate network', async () => {
      for (const role of settings.breakGlassRoleArns) {
        expect(await decide(policiesWith(allowEks), request(role, 'eks:UpdateClusterConfig', addressInside(settings.corporateCidrs[0])))).toBe('Allowed');
      }
    });

    test('all twelve admin APIs are denied to a non-admin', async () => {
      for (const action of ADMIN_API_ACTIONS) {
        const decision = await decide(policiesWith(allowEks), request(NON_ADMIN, action, addressInside(settings.corporateCidrs[0])));
        expect({ action, decision }).toEqual({ action, decision: 'ExplicitlyDenied' });
      }
    });

    test('the Service Catalog launch role may create clusters from any address, a non-admin may not', async () => {
      for (const ip of [CLOUDFORMATION_IP, OUTSIDE_IP, undefined]) {
        expect(await decide(policiesWith(allowEks), request(LAUNCH_ROLE, 'eks:CreateCluster', ip))).toBe('Allowed');
        expect(await decide(policiesWith(allowEks), request(NON_ADMIN, 'eks:CreateCluster', ip))).toBe('ExplicitlyDenied');
      }
    });

    test('nobody but the launch role\'s managers may create or change a role of its name (that would inherit its exemption)', async () => {
      const allowIam: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] };
      for (const action of DEPLOYMENT_ROLE_CHANGES) {
        const attempt = (principal: string) => decide(policiesWith(allowIam), { principalArn: principal, action, resourceArn: LAUNCH_ROLE });
        expect({ action, decision: await attempt(NON_ADMIN) }).toEqual({ action, decision: 'ExplicitlyDenied' });
        expect({ action, decision: await attempt(`arn:aws:iam::${ACCOUNT}:role/stacksets-exec-0123456789abcdef`) }).toEqual({ action, decision: 'Allowed' });
        expect({ action, decision: await attempt(BREAK_GLASS) }).toEqual({ action, decision: 'Allowed' });
      }
      expect(await decide(policiesWith(allowIam), { principalArn: NON_ADMIN, action: 'iam:CreateRole', resourceArn: `arn:aws:iam::${ACCOUNT}:role/SomethingElse` })).toBe('Allowed');
    });

    test('eks:DescribeCluster, not an admin API, is not denied to a non-admin', async () => {
      expect(await decide(policiesWith(allowEks), request(NON_ADMIN, 'eks:DescribeCluster', OUTSIDE_IP))).toBe('Allowed');
    });
  });

  test('the launch role exempted is the product\'s launch role', () => {
    expect(LAUNCH_ROLE).toBe(`arn:aws:iam::${ACCOUNT}:role/${LAUNCH_ROLE_NAME}`);
    // Resolved in this account, the managed policy names exactly that role; the SCP names it in every account.
    expect(JSON.stringify(managedPolicy)).toContain(`"${LAUNCH_ROLE}"`);
    expect(JSON.stringify(scp)).toContain(`"arn:aws:iam::*:role/${LAUNCH_ROLE_NAME}"`);
  });

  // ManagedPolicy writes the default path '/' explicitly; outside /hardened-eks/ the launch role (whose
  // iam:CreatePolicy is scoped to that path) could not create the guardrail, and launching would fail.
  test('the guardrail policy lives under the product IAM path, where the launch role may create it', () => {
    expect(managedPolicyPath).toBe(PRODUCT_IAM_PATH);
  });
});
