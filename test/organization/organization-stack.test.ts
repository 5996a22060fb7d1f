import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildOrganizationStacks } from '../../lib/app/catalog-app';
import { catalogRegions } from '../../lib/catalog/catalog-regions';
import { loadProducts } from '../../lib/catalog/product-loader';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import { OrganizationStackConfig } from '../../lib/config/organization-config';
import { ADMIN_API_ACTIONS, DEPLOYMENT_ROLE_CHANGES } from '../../lib/identity/admin-api-guardrail';
import { LaunchRoleStack } from '../../lib/organization/launch-role-stack';
import { OrganizationStack } from '../../lib/organization/organization-stack';
import { productServiceControlPolicies } from '../../lib/organization/service-control-policies';
import { product as hardenedEks } from '../../products/hardened-eks';
import { EksThreatModelChecks } from '../../nag-rules/eks-threat-model-pack';
import { applyExemptions, loadExemptions } from '../../nag-rules/exemptions/register';
import { onlyResource, removeTemporaryDirectories, resolveIntrinsics, tempDirectory } from '../catalog/catalog-helpers';
import { decide, expectDecisionOn, type IamRequest, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, defaultSettings, projectContext, synthesizeCatalog } from '../support/project-app';
import { runCfnLint, runControlTowerGuard } from '../support/template-checkers';

/**
 * The organization stack of the built-in configuration: a service-managed StackSet whose template is the app's
 * launch-role stack, and the admin-API service control policy attached to the target OUs. IAM is evaluated with
 * the simulator in a member account 444455556666 in eu-west-1.
 */
const config = defaultConfig();
const organizationConfig = config.organizationStack as OrganizationStackConfig;
const settings = defaultSettings(config);
const MEMBER = '444455556666';
const REGION = 'eu-west-1';
const LAUNCH_ROLE = `arn:aws:iam::${MEMBER}:role/${hardenedEks.launchRoleName}`;
const VIA_CLOUDFORMATION = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };
const MEMBER_VALUES = { 'AWS::AccountId': MEMBER };

let app: App;
let launchRoles: LaunchRoleStack;
let organization: OrganizationStack;
let organizationTemplate: Record<string, any>;
let launchRoleTemplate: Record<string, any>;
let outdir: string;

beforeAll(() => {
  outdir = tempDirectory('organization-');
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  app = new App({ outdir, context });
  const products = loadProducts(config);
  ({ launchRoles, organization } = buildOrganizationStacks(app, {
    organization: organizationConfig,
    products,
    serviceControlPolicies: productServiceControlPolicies(products),
    assetBucketNames: catalogRegions(config).map((r) => r.assetBucketName),
    launchRoleRegion: REGION,
  }));
  // The register's entries for these stacks, as bin/app.ts applies them (the hub's entries name constructs not built here).
  const register = path.join(__dirname, '..', '..', 'nag-rules', 'exemptions.yaml');
  applyExemptions(
    app,
    loadExemptions(register).filter((e) => /^HardenedEks(LaunchRoles|Organization)\//.test(e.resource)),
  );
  app.synth();
  const read = (stack: { templateFile: string }) =>
    JSON.parse(fs.readFileSync(path.join(outdir, stack.templateFile), 'utf8'));
  organizationTemplate = read(organization);
  launchRoleTemplate = read(launchRoles);
});

afterAll(() => removeTemporaryDirectories());

const stackSet = () => onlyResource(organizationTemplate, 'AWS::CloudFormation::StackSet')[1].Properties;
const scp = (): PolicyDocument =>
  onlyResource(organizationTemplate, 'AWS::Organizations::Policy')[1].Properties.Content;
const stackSetLaunchPolicy = (): PolicyDocument => {
  const [, role] = onlyResource(
    JSON.parse(stackSet().TemplateBody),
    'AWS::IAM::Role',
    (r) => r.Properties.RoleName === hardenedEks.launchRoleName,
  );
  return resolveIntrinsics(role.Properties.Policies[0].PolicyDocument, MEMBER_VALUES);
};

describe('the built-in configuration', () => {
  test('has an organization stack for a delegated administrator that targets an example OU', () => {
    expect(organizationConfig).toEqual({
      region: 'us-east-1',
      callAs: 'DELEGATED_ADMIN',
      targetOrganizationalUnitIds: ['ou-ab12-cd34ef56'],
      maxConcurrentPercentage: 25,
      failureTolerancePercentage: 10,
    });
    expect(organization.region).toBe('us-east-1');
  });
});

describe('the launch-role StackSet', () => {
  test('is service-managed, deploys automatically to accounts joining the target OUs, as configured', () => {
    expect(stackSet()).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OperationPreferences: { MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10 },
    });
  });

  test('creates the roles once per account (IAM is global): one region, the target OUs', () => {
    expect(stackSet().StackInstancesGroup).toEqual([
      { DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cd34ef56'] }, Regions: [REGION] },
    ]);
  });

  test('its template is the synthesized launch-role stack, without CDK bootstrap checks or assets', () => {
    expect(JSON.parse(stackSet().TemplateBody)).toEqual(launchRoleTemplate);
    expect(launchRoleTemplate.Parameters?.BootstrapVersion).toBeUndefined();
    expect(launchRoleTemplate.Rules).toBeUndefined();
    expect(Object.values<any>(launchRoleTemplate.Resources).map((r) => r.Type)).toEqual([
      'AWS::IAM::Role',
      'AWS::IAM::ManagedPolicy',
      'AWS::IAM::Role',
    ]);
  });

  test("creates each account's break-glass role, which only the security team's identities may assume", () => {
    const [, role] = onlyResource(
      launchRoleTemplate,
      'AWS::IAM::Role',
      (r) => r.Properties.RoleName === settings.breakGlassRoleName,
    );
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: {
          AWS: settings.breakGlassRoleArns.length === 1 ? settings.breakGlassRoleArns[0] : settings.breakGlassRoleArns,
        },
      },
    ]);
  });

  test("creates the product's local launch role, which only Service Catalog may assume", () => {
    const [, role] = onlyResource(
      launchRoleTemplate,
      'AWS::IAM::Role',
      (r) => r.Properties.RoleName === hardenedEks.launchRoleName,
    );
    expect(role.Properties.RoleName).toBe('SCHardenedEksLaunchRole');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'servicecatalog.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test("the role's policy is the hub's launch role policy: one definition, two deployments", () => {
    const hub = synthesizeCatalog(config).catalog.toJSON();
    const [bucketId] = onlyResource(hub, 'AWS::S3::Bucket', (r) => r.Properties.BucketName === config.assetBucketName);
    const [, hubRole] = onlyResource(
      hub,
      'AWS::IAM::Role',
      (r) => r.Properties.RoleName === hardenedEks.launchRoleName,
    );
    const hubPolicy = resolveIntrinsics(hubRole.Properties.Policies[0].PolicyDocument, {
      ...MEMBER_VALUES,
      [bucketId]: config.assetBucketName,
    });
    expect(stackSetLaunchPolicy()).toEqual(hubPolicy);
  });

  test("the role's statements are the product's launch-role statements (products/hardened-eks/launch-role-statements.ts)", () => {
    const expected = hardenedEks.launchRoleStatements(settings, config.assetBucketName).map((s) => s.sid);
    expect(expected.length).toBeGreaterThan(10);
    expect([stackSetLaunchPolicy().Statement].flat().map((s: any) => s.Sid)).toEqual(expected);
  });
});

describe('the StackSet-deployed launch role', () => {
  const asLaunchRole = (action: string, resourceArn: string, context?: IamRequest['context']) =>
    decide(
      { identityPolicies: [stackSetLaunchPolicy()], serviceControlPolicies: [scp()] },
      { principalArn: LAUNCH_ROLE, action, resourceArn, context },
    );
  const CLUSTER = `arn:aws:eks:${REGION}:${MEMBER}:cluster/team-a`;

  test("may create and delete the product's cluster and roles through CloudFormation", async () => {
    expect(
      await asLaunchRole('eks:CreateCluster', '*', {
        ...VIA_CLOUDFORMATION,
        'eks:authenticationMode': 'API',
        'eks:endpointPublicAccess': 'false',
        'eks:endpointPrivateAccess': 'true',
        'eks:bootstrapClusterCreatorAdminPermissions': 'false',
      }),
    ).toBe('Allowed');
    expect(await asLaunchRole('eks:DeleteCluster', CLUSTER, VIA_CLOUDFORMATION)).toBe('Allowed');
    const boundary = `arn:aws:iam::${MEMBER}:policy/hardened-eks-boundary/HardenedEksRoleBoundary`;
    expect(
      await asLaunchRole('iam:CreateRole', `arn:aws:iam::${MEMBER}:role/hardened-eks/SC-x-ClusterRole`, {
        ...VIA_CLOUDFORMATION,
        'iam:PermissionsBoundary': boundary,
      }),
    ).toBe('Allowed');
  });

  test('may not do the same outside CloudFormation', async () => {
    expect(await asLaunchRole('eks:CreateCluster', '*')).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('eks:DeleteCluster', CLUSTER)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('iam:CreateRole', `arn:aws:iam::${MEMBER}:role/hardened-eks/SC-x-ClusterRole`)).toBe(
      'ImplicitlyDenied',
    );
  });

  test.each([
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:UpdateAssumeRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:DeleteRole',
    'iam:PutRolePermissionsBoundary',
  ])('may not change itself with %s, even through CloudFormation', async (action) => {
    const context =
      action === 'iam:AttachRolePolicy'
        ? { ...VIA_CLOUDFORMATION, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }
        : VIA_CLOUDFORMATION;
    expect(await asLaunchRole(action, LAUNCH_ROLE, context)).not.toBe('Allowed');
  });

  test.each(['organizations:DetachPolicy', 'organizations:UpdatePolicy', 'organizations:DeletePolicy'])(
    'may not touch the service control policy with %s',
    async (action) => {
      const policy = 'arn:aws:organizations::999988887777:policy/o-exampleorg1/service_control_policy/p-abcd1234';
      expect(await asLaunchRole(action, policy, VIA_CLOUDFORMATION)).toBe('ImplicitlyDenied');
    },
  );

  test("may change the product's admin-API guardrail policy only as part of a product update (through CloudFormation)", async () => {
    const guardrail = `arn:aws:iam::${MEMBER}:policy/hardened-eks/SC-${MEMBER}-pp-abc-AdminApiGuardrailPolicy`;
    expect(await asLaunchRole('iam:CreatePolicyVersion', guardrail)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('iam:DeletePolicy', guardrail)).toBe('ImplicitlyDenied');
  });
});

describe('the admin-API service control policy', () => {
  const OUTSIDE_IP = '203.0.113.5';
  /** An address of the corporate egress range (aws:SourceIp carries only public addresses). */
  const CORPORATE_IP = settings.corporateEgressCidrs[0].replace(/\.0\/\d+$/, '.1');
  const allowAll: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  };
  const under = (principalArn: string, action: string, resourceArn: string, sourceIp?: string) =>
    decide(
      { identityPolicies: [allowAll], serviceControlPolicies: [scp()] },
      { principalArn, action, resourceArn, context: sourceIp ? { 'aws:SourceIp': sourceIp } : undefined },
    );
  const CLUSTER = `arn:aws:eks:${REGION}:${MEMBER}:cluster/team-a`;

  test('is a service control policy attached to the target OUs, with the same content as the JSON file for other tools', () => {
    const [, policy] = onlyResource(organizationTemplate, 'AWS::Organizations::Policy');
    expect(policy.Properties).toMatchObject({
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-ab12-cd34ef56'],
      Name: 'hardened-eks-admin-api-scp',
    });
    expect(policy.Properties.Content).toEqual(hardenedEks.organizationPolicies!(settings)['admin-api-scp.json']);
    expect(JSON.stringify(policy.Properties.Content).length).toBeLessThanOrEqual(5120);
  });

  test('denies every admin API to a role that is neither break-glass nor the launch role, even from the corporate network', async () => {
    for (const principal of [
      `arn:aws:iam::${MEMBER}:role/Developer`,
      `arn:aws:iam::${MEMBER}:role/PlatformConsumers`,
    ]) {
      for (const action of ADMIN_API_ACTIONS.filter((a) => a.endsWith('Cluster') || a.endsWith('ClusterConfig'))) {
        // Creating or registering a cluster names no cluster yet: those actions take only "*".
        const resource = ['eks:CreateCluster', 'eks:RegisterCluster'].includes(action) ? '*' : CLUSTER;
        expect({ principal, action, decision: await under(principal, action, resource, CORPORATE_IP) }).toEqual({
          principal,
          action,
          decision: 'ExplicitlyDenied',
        });
      }
    }
  });

  test("allows the member account's break-glass role from the corporate network, and the launch role from anywhere", async () => {
    const breakGlass = `arn:aws:iam::${MEMBER}:role/${settings.breakGlassRoleName}`;
    expect(await under(breakGlass, 'eks:UpdateClusterConfig', CLUSTER, CORPORATE_IP)).toBe('Allowed');
    expect(await under(breakGlass, 'eks:UpdateClusterConfig', CLUSTER, OUTSIDE_IP)).toBe('ExplicitlyDenied');
    // The security team's identity that assumes it is no admin in the member account itself.
    const securityTeamNameInMember = `arn:aws:iam::${MEMBER}:role/${settings.breakGlassRoleArns[0].split('/').pop()}`;
    expect(await under(securityTeamNameInMember, 'eks:UpdateClusterConfig', CLUSTER, CORPORATE_IP)).toBe(
      'ExplicitlyDenied',
    );
    expect(await under(LAUNCH_ROLE, 'eks:CreateCluster', '*', OUTSIDE_IP)).toBe('Allowed');
  });

  test('a role that only looks like the launch role (another path, a longer name) is denied', async () => {
    for (const impostor of [
      `arn:aws:iam::${MEMBER}:role/teams/SCHardenedEksLaunchRole`,
      `arn:aws:iam::${MEMBER}:role/SCHardenedEksLaunchRoleCopy`,
    ]) {
      expect({ impostor, decision: await under(impostor, 'eks:DeleteCluster', CLUSTER, CORPORATE_IP) }).toEqual({
        impostor,
        decision: 'ExplicitlyDenied',
      });
    }
  });

  test('nobody but the StackSets execution role and break-glass may create or change a role named like the launch role', async () => {
    for (const action of DEPLOYMENT_ROLE_CHANGES) {
      expectDecisionOn(
        action,
        await under(`arn:aws:iam::${MEMBER}:role/Developer`, action, LAUNCH_ROLE),
        'ExplicitlyDenied',
      );
      expectDecisionOn(
        action,
        await under(`arn:aws:iam::${MEMBER}:role/stacksets-exec-0123456789abcdef0123456789abcdef`, action, LAUNCH_ROLE),
        'Allowed',
      );
    }
  });
});

describe('checks on the new templates', () => {
  test('AwsSolutions and the EKS threat-model pack find nothing unacknowledged', () => {
    for (const stack of [organization, launchRoles]) {
      for (const pack of [new AwsSolutionsChecks(), new EksThreatModelChecks(app)]) {
        const report = pack.validateScope(stack);
        expect({ stack: stack.stackName, violations: report.violations.map((v) => v.ruleName) }).toEqual({
          stack: stack.stackName,
          violations: [],
        });
      }
    }
  });

  test('cfn-lint reports no error, and the Control Tower guard rules no finding but the acknowledged two on the role boundary', () => {
    const templates = [organization, launchRoles].map((s) => path.join(outdir, s.templateFile));
    expect(runCfnLint(templates).filter((f) => f.level === 'error')).toEqual([]);
    const acknowledged: { rule: string; logicalId: string }[] = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'nag-rules', 'guard-acknowledgements.json'), 'utf8'),
    );
    const [organizationFindings, launchRoleFindings] = templates.map((t) => runControlTowerGuard(t));
    expect(organizationFindings).toEqual([]);
    expect(launchRoleFindings.map((f) => [f.controlId, f.logicalId])).toEqual([
      ['CT.IAM.PR.2', 'HardenedEksLaunchRoleRoleBoundary40A0D1E1'],
      ['CT.IAM.PR.3', 'HardenedEksLaunchRoleRoleBoundary40A0D1E1'],
    ]);
    for (const f of launchRoleFindings)
      expect(acknowledged).toContainEqual(expect.objectContaining({ rule: f.controlId, logicalId: f.logicalId }));
  });
});
