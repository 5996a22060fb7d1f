import { Match, Template } from 'aws-cdk-lib/assertions';
import { appliedKubernetesObjects } from '../support/kubernetes-objects';
import { defaultConfig, resourcesOfType, synthesizeCatalog } from '../support/project-app';

let template: Record<string, any>;
let product: Template;
const settings = defaultConfig().products[0].settings as { breakGlassRoleArns: string[]; workloadNamespaces: string[] };
import { DEFAULT_BREAK_GLASS_ROLE_NAME } from '../../products/hardened-eks/settings';
beforeAll(() => {
  ({ productJson: template, product } = synthesizeCatalog());
});

/** How the product writes the ARN of a role of the launching account from a role-name parameter. */
const roleOfThisAccount = (parameter: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/', { Ref: parameter }],
  ],
});

describe('cluster access only for roles of the launching account', () => {
  test('every access entry a launch parameter names is a role of this account: no parameter chooses the account', () => {
    const fromParameters = accessEntries().filter((e) =>
      /"Ref":"(ClusterAdmin|NamespaceEditor|NamespaceViewer)Role/.test(JSON.stringify(e.Properties.PrincipalArn)),
    );
    expect(fromParameters).toHaveLength(3);
    for (const entry of fromParameters)
      expect(JSON.stringify(entry.Properties.PrincipalArn)).toContain('{"Ref":"AWS::AccountId"}');
    for (const name of ['ClusterAdminRoleArn', 'NamespaceEditorRoleArn', 'NamespaceViewerRoleArn'])
      expect(template.Parameters[name]).toBeUndefined();
  });
});

const accessEntries = () => resourcesOfType(template, 'AWS::EKS::AccessEntry').map(([id, r]) => ({ id, ...r }));
const policyNames = (entry: any) =>
  (entry.Properties.AccessPolicies ?? []).map(
    (p: any) => JSON.stringify(p.PolicyArn).match(/cluster-access-policy\/(\w+)/)?.[1],
  );

describe('cluster authentication (TH-3, PV-1)', () => {
  test('authentication mode API and no admin for the cluster creator', () => {
    product.hasResourceProperties('AWS::EKS::Cluster', {
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
    });
  });

  test('no aws-auth ConfigMap is applied', () => {
    const awsAuth = appliedKubernetesObjects(template).filter(
      ({ object }) => object.kind === 'ConfigMap' && object.metadata?.name === 'aws-auth',
    );
    expect(awsAuth).toEqual([]);
  });

  test("cluster-admin goes only to this account's break-glass role, the consumer's admin role and CDK's kubectl handler", () => {
    const admins = accessEntries().filter((e) => policyNames(e).includes('AmazonEKSClusterAdminPolicy'));
    const principals = admins.map((e) => e.Properties.PrincipalArn);
    const breakGlass = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':iam::',
          { Ref: 'AWS::AccountId' },
          `:role/${DEFAULT_BREAK_GLASS_ROLE_NAME}`,
        ],
      ],
    };
    expect(principals).toEqual(expect.arrayContaining([breakGlass, roleOfThisAccount('ClusterAdminRoleName')]));
    // The security team's own identities assume the break-glass role; they get no entry of their own (no foreign account).
    for (const identity of settings.breakGlassRoleArns) expect(JSON.stringify(principals)).not.toContain(identity);
    const others = principals.filter(
      (p: unknown) =>
        JSON.stringify(p) !== JSON.stringify(breakGlass) && !JSON.stringify(p).includes('"ClusterAdminRoleName"'),
    );
    expect(others).toHaveLength(1);
    expect(JSON.stringify(others[0])).toMatch(/KubectlProviderHandlerServiceRole/);
    for (const admin of admins) expect(admin.Properties.AccessPolicies[0].AccessScope.Type).toBe('cluster');
  });

  test.each([
    ['NamespaceEditorRoleName', 'AmazonEKSEditPolicy', 'HasNamespaceEditor'],
    ['NamespaceViewerRoleName', 'AmazonEKSViewPolicy', 'HasNamespaceViewer'],
  ])('%s gets %s in the workload namespaces only, and only when given', (parameter, policy, condition) => {
    const entry = accessEntries().find(
      (e) => JSON.stringify(e.Properties.PrincipalArn) === JSON.stringify(roleOfThisAccount(parameter)),
    );
    expect(entry).toBeDefined();
    expect(entry!.Condition).toBe(condition);
    expect(policyNames(entry)).toEqual([policy]);
    expect(entry!.Properties.AccessPolicies[0].AccessScope).toEqual({
      Type: 'namespace',
      Namespaces: settings.workloadNamespaces,
    });
    expect(template.Conditions[condition]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: parameter }, ''] }] });
  });
});

describe('workload identity (PV-3, LM-1, LM-2)', () => {
  test('IRSA through a native OIDC provider', () => {
    product.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    product.hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com'] });
  });

  test('the Pod Identity agent add-on is installed', () => {
    product.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
  });

  test('the VPC CNI runs on its own IRSA role, trusted only by kube-system/aws-node', () => {
    const [, addon] = resourcesOfType(template, 'AWS::EKS::Addon').find(
      ([, r]) => r.Properties.AddonName === 'vpc-cni',
    )!;
    const roleId = addon.Properties.ServiceAccountRoleArn['Fn::GetAtt'][0];
    const role = template.Resources[roleId];
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('AmazonEKS_CNI_Policy');
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    const conditions = template.Resources[statement.Condition.StringEquals['Fn::GetAtt'][0]].Properties.Value;
    expect(JSON.stringify(conditions)).toContain('system:serviceaccount:kube-system:aws-node');
    expect(JSON.stringify(conditions)).toContain('sts.amazonaws.com');
  });

  test('the node role is minimal: worker and ECR pull policies, no CNI policy, no AmazonSSMManagedInstanceCore', () => {
    const [, nodegroup] = resourcesOfType(template, 'AWS::EKS::Nodegroup')[0];
    const role = template.Resources[nodegroup.Properties.NodeRole['Fn::GetAtt'][0]];
    const managed = JSON.stringify(role.Properties.ManagedPolicyArns);
    expect(managed).toContain('AmazonEKSWorkerNodePolicy');
    expect(managed).toContain('AmazonEC2ContainerRegistryPullOnly');
    expect(managed).not.toContain('AmazonEKS_CNI_Policy');
    expect(managed).not.toContain('AmazonSSMManagedInstanceCore');
    expect(role.Properties.ManagedPolicyArns).toHaveLength(2);
    const inline = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties.Roles).includes(nodegroup.Properties.NodeRole['Fn::GetAtt'][0]),
    );
    const actions = inline.flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()),
    );
    expect(actions).not.toContain('ssm:GetParameter');
    expect(actions).not.toContain('ssm:GetParameters');
    expect(actions).toEqual(
      expect.arrayContaining([
        'ssm:UpdateInstanceInformation',
        'ssmmessages:OpenDataChannel',
        'ec2messages:GetMessages',
      ]),
    );
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  test("every role and managed policy of the product sits under the product's IAM path", () => {
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy']) {
      for (const [id, r] of resourcesOfType(template, type))
        expect([id, r.Properties.Path]).toEqual([id, '/hardened-eks/']);
    }
  });
});

describe('admin-API guardrail (ADM-1..36, PV-7, TH-4)', () => {
  test('the product ships the guardrail as a managed policy and outputs its ARN', () => {
    product.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyAdminApisToNonAdmins', Effect: 'Deny' })]),
      },
    });
    expect(template.Outputs.AdminApiGuardrailPolicyArn).toBeDefined();
  });
});
