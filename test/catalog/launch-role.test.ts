import { product as hardenedEks } from '../../products/hardened-eks';
import { decide, expectDecisionOn, type IamRequest, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, synthesizeCatalog } from '../support/project-app';
import { onlyResource, resolveIntrinsics, resourcesOfType } from './catalog-helpers';

/**
 * The launch role's inline policy, taken from the synthesized catalog template and resolved for account
 * 111122223333 in eu-west-1, evaluated with the IAM simulator.
 */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/${hardenedEks.launchRoleName}`;
const VIA_CLOUDFORMATION = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };
const PRODUCT_ROLE = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/x`;
const CLUSTER = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/x`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/hardened-eks-boundary/HardenedEksRoleBoundary`;
const BOUNDED = { ...VIA_CLOUDFORMATION, 'iam:PermissionsBoundary': BOUNDARY };
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
const EKS_CLUSTER_POLICY = 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy';
/** A role bounded by AdministratorAccess instead of the product's boundary. */
const ADMIN_BOUNDED = { ...VIA_CLOUDFORMATION, 'iam:PermissionsBoundary': ADMINISTRATOR_ACCESS };
/** The request context of attaching the managed policy `policyArn` to a role with `role`'s context. */
const attaching = (role: IamRequest['context'], policyArn: string) => ({ ...role, 'iam:PolicyARN': policyArn });
/** What CloudFormation asks for when it creates the product's cluster (the template's AccessConfig and endpoints). */
const PRODUCT_CLUSTER = {
  ...VIA_CLOUDFORMATION,
  'eks:authenticationMode': 'API',
  'eks:endpointPublicAccess': 'false',
  'eks:endpointPrivateAccess': 'true',
  'eks:bootstrapClusterCreatorAdminPermissions': 'false',
};

let launchPolicy: PolicyDocument;
let launchPolicyTemplate: unknown;
let launchPolicyValues: Record<string, string>;
let productTemplate: Record<string, any>;

beforeAll(() => {
  const config = defaultConfig();
  const synth = synthesizeCatalog(config);
  const template = synth.catalog.toJSON();
  productTemplate = synth.productJson;
  const [bucketId] = onlyResource(
    template,
    'AWS::S3::Bucket',
    (r) => r.Properties.BucketName === config.assetBucketName,
  );
  const [, role] = onlyResource(
    template,
    'AWS::IAM::Role',
    (r) => r.Properties.RoleName === hardenedEks.launchRoleName,
  );
  const policies: any[] = role.Properties.Policies;
  expect(policies).toHaveLength(1);
  launchPolicyTemplate = policies[0].PolicyDocument;
  launchPolicyValues = {
    [bucketId]: config.assetBucketName,
    [`${bucketId}.Arn`]: `arn:aws:s3:::${config.assetBucketName}`,
  };
  launchPolicy = resolveIntrinsics(launchPolicyTemplate, launchPolicyValues);
});

const asLaunchRole = (action: string, resourceArn: string, context?: IamRequest['context']) =>
  decide({ identityPolicies: [launchPolicy] }, { principalArn: LAUNCH_ROLE, action, resourceArn, context });

test('the policy is fully resolved, with the asset bucket by name', () => {
  const text = JSON.stringify(launchPolicy);
  expect(text).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
  expect(text).toContain('arn:aws:s3:::hardened-eks-catalog-assets-example/*');
});

describe('through CloudFormation', () => {
  // eks:CreateCluster and some logs actions have no resource type in the Service Authorization Reference, so IAM
  // (and the simulator) evaluate them on Resource "*".
  test('may create the EKS cluster and set up log delivery', async () => {
    expect(await asLaunchRole('eks:CreateCluster', '*', PRODUCT_CLUSTER)).toBe('Allowed');
    for (const action of ['logs:DescribeLogGroups', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery']) {
      expectDecisionOn(action, await asLaunchRole(action, '*', VIA_CLOUDFORMATION), 'Allowed');
    }
  });

  test('may delete and describe the EKS cluster', async () => {
    expect(await asLaunchRole('eks:DeleteCluster', CLUSTER, VIA_CLOUDFORMATION)).toBe('Allowed');
    expect(await asLaunchRole('eks:DescribeCluster', CLUSTER, VIA_CLOUDFORMATION)).toBe('Allowed');
  });

  test("may create roles under the product's /hardened-eks/ path, with the product's boundary", async () => {
    expect(await asLaunchRole('iam:CreateRole', PRODUCT_ROLE, BOUNDED)).toBe('Allowed');
  });

  test('may pass a product role to EKS', async () => {
    expect(
      await asLaunchRole('iam:PassRole', PRODUCT_ROLE, {
        ...VIA_CLOUDFORMATION,
        'iam:PassedToService': 'eks.amazonaws.com',
      }),
    ).toBe('Allowed');
  });

  test('may attach an approved AWS managed policy to a product role', async () => {
    expect(await asLaunchRole('iam:AttachRolePolicy', PRODUCT_ROLE, attaching(BOUNDED, EKS_CLUSTER_POLICY))).toBe(
      'Allowed',
    );
  });

  test('may not create roles outside the /hardened-eks/ path', async () => {
    for (const role of ['role/x', 'role/admin/x', 'role/hardened-eks-other/x', 'role/SCHardenedEksLaunchRole']) {
      expect(await asLaunchRole('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:${role}`, BOUNDED)).toBe('ImplicitlyDenied');
    }
  });

  test('may not attach AdministratorAccess, even to a product role', async () => {
    expect(await asLaunchRole('iam:AttachRolePolicy', PRODUCT_ROLE, attaching(BOUNDED, ADMINISTRATOR_ACCESS))).toBe(
      'ImplicitlyDenied',
    );
  });

  test('may not pass a product role to a service the product does not use', async () => {
    for (const service of ['glue.amazonaws.com', 'ecs-tasks.amazonaws.com', 'cloudformation.amazonaws.com']) {
      expect(
        await asLaunchRole('iam:PassRole', PRODUCT_ROLE, { ...VIA_CLOUDFORMATION, 'iam:PassedToService': service }),
      ).toBe('ImplicitlyDenied');
    }
  });

  test('may not provision Service Catalog products', async () => {
    expect(
      await asLaunchRole(
        'servicecatalog:ProvisionProduct',
        `arn:aws:catalog:${REGION}:${ACCOUNT}:product/prod-abcdefghijklm`,
        VIA_CLOUDFORMATION,
      ),
    ).toBe('ImplicitlyDenied');
  });
});

describe("a template run as the launch role cannot mint or widen a role beyond the product's boundary", () => {
  test('no role without the boundary, or with another one', async () => {
    expect(await asLaunchRole('iam:CreateRole', PRODUCT_ROLE, VIA_CLOUDFORMATION)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('iam:CreateRole', PRODUCT_ROLE, ADMIN_BOUNDED)).toBe('ImplicitlyDenied');
    expect(
      await asLaunchRole('iam:CreateRole', PRODUCT_ROLE, {
        ...VIA_CLOUDFORMATION,
        'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/hardened-eks/HardenedEksRoleBoundary`,
      }),
    ).toBe('ImplicitlyDenied');
  });

  test("no inline policy, trust change or attachment on a role that does not carry the boundary (another team's, or one made before v1.3.0)", async () => {
    for (const action of ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']) {
      expectDecisionOn(action, await asLaunchRole(action, PRODUCT_ROLE, VIA_CLOUDFORMATION), 'ImplicitlyDenied');
      expectDecisionOn(action, await asLaunchRole(action, PRODUCT_ROLE, BOUNDED), 'Allowed');
    }
    expect(
      await asLaunchRole('iam:AttachRolePolicy', PRODUCT_ROLE, attaching(VIA_CLOUDFORMATION, EKS_CLUSTER_POLICY)),
    ).toBe('ImplicitlyDenied');
  });

  test('the boundary can be put on a role but never replaced by another or removed', async () => {
    expect(await asLaunchRole('iam:PutRolePermissionsBoundary', PRODUCT_ROLE, BOUNDED)).toBe('Allowed');
    expect(await asLaunchRole('iam:PutRolePermissionsBoundary', PRODUCT_ROLE, ADMIN_BOUNDED)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('iam:DeleteRolePermissionsBoundary', PRODUCT_ROLE, BOUNDED)).toBe('ImplicitlyDenied');
  });

  test("the boundary policy itself is out of the launch role's reach", async () => {
    for (const action of [
      'iam:CreatePolicy',
      'iam:CreatePolicyVersion',
      'iam:SetDefaultPolicyVersion',
      'iam:DeletePolicy',
    ]) {
      expectDecisionOn(action, await asLaunchRole(action, BOUNDARY, VIA_CLOUDFORMATION), 'ImplicitlyDenied');
    }
  });
});

describe("the cluster the launch role may make is the product's kind of cluster", () => {
  test('no public endpoint, no ConfigMap authentication, no admin for the creator', async () => {
    for (const [key, value] of [
      ['eks:endpointPublicAccess', 'true'],
      ['eks:endpointPrivateAccess', 'false'],
      ['eks:authenticationMode', 'API_AND_CONFIG_MAP'],
      ['eks:bootstrapClusterCreatorAdminPermissions', 'true'],
    ]) {
      expect({
        key,
        decision: await asLaunchRole('eks:CreateCluster', '*', { ...PRODUCT_CLUSTER, [key]: value }),
      }).toEqual({ key, decision: 'ImplicitlyDenied' });
    }
  });

  test('updates keep it private and API-only; other updates (logging) pass', async () => {
    const update = (context: Record<string, string> = {}) =>
      asLaunchRole('eks:UpdateClusterConfig', CLUSTER, { ...VIA_CLOUDFORMATION, ...context });
    expect(await update()).toBe('Allowed');
    expect(await update({ 'eks:endpointPublicAccess': 'false' })).toBe('Allowed');
    expect(await update({ 'eks:endpointPublicAccess': 'true' })).toBe('ImplicitlyDenied');
    expect(await update({ 'eks:authenticationMode': 'API_AND_CONFIG_MAP' })).toBe('ImplicitlyDenied');
  });

  test('access entries only for roles of this account, as standard or Linux node entries', async () => {
    const entry = (principal: string, type?: string) =>
      asLaunchRole('eks:CreateAccessEntry', CLUSTER, {
        ...VIA_CLOUDFORMATION,
        'eks:principalArn': principal,
        ...(type ? { 'eks:accessEntryType': type } : {}),
      });
    expect(await entry(`arn:aws:iam::${ACCOUNT}:role/TeamAdmin`)).toBe('Allowed');
    expect(await entry(`arn:aws:iam::${ACCOUNT}:role/hardened-eks/node`, 'EC2_LINUX')).toBe('Allowed');
    expect(await entry('arn:aws:iam::999988887777:role/TeamAdmin')).toBe('ImplicitlyDenied');
    expect(await entry(`arn:aws:iam::${ACCOUNT}:user/alice`)).toBe('ImplicitlyDenied');
    expect(await entry(`arn:aws:iam::${ACCOUNT}:role/x`, 'FARGATE_LINUX')).toBe('ImplicitlyDenied');
  });

  test("only the product's three access policies are associated", async () => {
    const entryArn = `arn:aws:eks:${REGION}:${ACCOUNT}:access-entry/x/role/${ACCOUNT}/TeamAdmin/0a1b2c3d`;
    const associate = (policy: string) =>
      asLaunchRole('eks:AssociateAccessPolicy', entryArn, {
        ...VIA_CLOUDFORMATION,
        'eks:policyArn': `arn:aws:eks::aws:cluster-access-policy/${policy}`,
      });
    for (const policy of ['AmazonEKSClusterAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSViewPolicy']) {
      expect({ policy, decision: await associate(policy) }).toEqual({ policy, decision: 'Allowed' });
    }
    expect(await associate('AmazonEKSAdminPolicy')).toBe('ImplicitlyDenied');
  });

  test("SSM: the launch's own documents (SC-…), not the account's session preferences", async () => {
    const document = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`;
    expect(
      await asLaunchRole('ssm:UpdateDocument', document('SC-111122223333-pp-abc-Identify-1A2B'), VIA_CLOUDFORMATION),
    ).toBe('Allowed');
    expect(await asLaunchRole('ssm:UpdateDocument', document('SSM-SessionManagerRunShell'), VIA_CLOUDFORMATION)).toBe(
      'ImplicitlyDenied',
    );
    expect(await asLaunchRole('ssm:CreateDocument', document('AWS-RunShellScript-Mine'), VIA_CLOUDFORMATION)).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe("outside CloudFormation (a person holding the role's credentials)", () => {
  test('may not create the EKS cluster or IAM roles', async () => {
    expect(await asLaunchRole('eks:CreateCluster', '*')).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('iam:CreateRole', PRODUCT_ROLE)).toBe('ImplicitlyDenied');
  });

  test('every statement that grants eks:CreateCluster requires aws:CalledVia CloudFormation', () => {
    const granting = (launchPolicy.Statement as any[]).filter(
      (s) =>
        s.Effect === 'Allow' &&
        [s.Action].flat().some((a: string) => new RegExp(`^${a.replace(/\*/g, '.*')}$`).test('eks:CreateCluster')),
    );
    expect(granting.length).toBeGreaterThan(0);
    for (const statement of granting) {
      expect(statement.Condition?.['ForAnyValue:StringEquals']?.['aws:CalledVia']).toEqual([
        'cloudformation.amazonaws.com',
      ]);
    }
  });

  test('may not use the role through another service than CloudFormation', async () => {
    const viaAthena = { 'aws:CalledVia': ['athena.amazonaws.com'] };
    expect(await asLaunchRole('eks:CreateCluster', '*', viaAthena)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('eks:DeleteCluster', CLUSTER, viaAthena)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('iam:CreateRole', PRODUCT_ROLE, viaAthena)).toBe('ImplicitlyDenied');
  });

  test('may not delete the cluster', async () => {
    expect(await asLaunchRole('eks:DeleteCluster', CLUSTER)).toBe('ImplicitlyDenied');
    expect(await asLaunchRole('eks:DeleteCluster', CLUSTER, VIA_CLOUDFORMATION)).toBe('Allowed');
  });

  test('may not provision Service Catalog products', async () => {
    expect(
      await asLaunchRole(
        'servicecatalog:ProvisionProduct',
        `arn:aws:catalog:${REGION}:${ACCOUNT}:product/prod-abcdefghijklm`,
      ),
    ).toBe('ImplicitlyDenied');
  });
});

describe('provisioned product stacks', () => {
  const stack = (name: string) =>
    `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;

  test("may create Service Catalog's stack SC-111122223333-pp-abc", async () => {
    expect(await asLaunchRole('cloudformation:CreateStack', stack('SC-111122223333-pp-abc'))).toBe('Allowed');
  });

  test('may not create other stacks', async () => {
    expect(await asLaunchRole('cloudformation:CreateStack', stack('hand-made'))).toBe('ImplicitlyDenied');
    expect(
      await asLaunchRole(
        'cloudformation:CreateStack',
        `arn:aws:cloudformation:${REGION}:999988887777:stack/SC-999988887777-pp-abc/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`,
      ),
    ).toBe('ImplicitlyDenied');
  });
});

describe('what the product template creates', () => {
  // Logical ID → physical ARN CloudFormation would create it under (path + a generated name).
  const created = (type: string, kind: 'role' | 'policy') =>
    resourcesOfType(productTemplate, type).map(
      ([id, r]) =>
        [
          id,
          `arn:aws:iam::${ACCOUNT}:${kind}${r.Properties.Path ?? '/'}SC-${ACCOUNT}-pp-abc-${id}`.slice(0, 200),
        ] as const,
    );

  test('the launch role may create every IAM role of the product', async () => {
    const roles = created('AWS::IAM::Role', 'role');
    expect(roles.length).toBeGreaterThan(0);
    const refused: string[] = [];
    for (const [id, arn] of roles) {
      const boundary = resolveIntrinsics(productTemplate.Resources[id].Properties.PermissionsBoundary);
      if (
        (await asLaunchRole('iam:CreateRole', arn, { ...VIA_CLOUDFORMATION, 'iam:PermissionsBoundary': boundary })) !==
        'Allowed'
      ) {
        refused.push(`${id} (${arn})`);
      }
    }
    expect(refused).toEqual([]);
  });

  test('in any launching account, the launch role may create every access entry of the product (none names another account)', async () => {
    const other = '444455556666';
    const policyThere = resolveIntrinsics(launchPolicyTemplate, { 'AWS::AccountId': other, ...launchPolicyValues });
    const values: Record<string, string> = { 'AWS::AccountId': other };
    for (const [id] of resourcesOfType(productTemplate, 'AWS::IAM::Role'))
      values[`${id}.Arn`] = `arn:aws:iam::${other}:role/hardened-eks/SC-${other}-pp-abc-${id}`;
    for (const name of Object.keys(productTemplate.Parameters ?? {})) values[name] = `Team${name}`;
    const entries = resourcesOfType(productTemplate, 'AWS::EKS::AccessEntry');
    expect(entries.length).toBeGreaterThan(3);
    const refused: string[] = [];
    for (const [id, entry] of entries) {
      const principal = resolveIntrinsics(entry.Properties.PrincipalArn, values);
      const decision = await decide(
        { identityPolicies: [policyThere] },
        {
          principalArn: `arn:aws:iam::${other}:role/${hardenedEks.launchRoleName}`,
          action: 'eks:CreateAccessEntry',
          resourceArn: `arn:aws:eks:${REGION}:${other}:cluster/x`,
          context: {
            ...VIA_CLOUDFORMATION,
            'eks:principalArn': principal,
            ...(entry.Properties.Type ? { 'eks:accessEntryType': entry.Properties.Type } : {}),
          },
        },
      );
      if (decision !== 'Allowed') refused.push(`${id} (${principal})`);
    }
    expect(refused).toEqual([]);
  });

  test('the launch role may create every managed policy of the product', async () => {
    const policies = created('AWS::IAM::ManagedPolicy', 'policy');
    const refused: string[] = [];
    for (const [id, arn] of policies) {
      if ((await asLaunchRole('iam:CreatePolicy', arn, VIA_CLOUDFORMATION)) !== 'Allowed')
        refused.push(`${id} (${arn})`);
    }
    expect(refused).toEqual([]);
  });
});
