import { NodeRoleMinimal } from '../../../../nag-rules/rules/identity/node-role-minimal';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';
import { awsManagedPolicyArn } from '../template-values';

const template = (
  opts: { policies?: string[]; statements?: unknown[]; cniRole?: boolean; extra?: Record<string, unknown> } = {},
) =>
  templateOf({
    C: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'prod' } },
    NodeRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        ManagedPolicyArns: (opts.policies ?? ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly']).map(
          awsManagedPolicyArn,
        ),
      },
    },
    ...(opts.statements
      ? {
          NodePolicy: {
            Type: 'AWS::IAM::Policy',
            Properties: {
              PolicyName: 'p',
              Roles: [{ Ref: 'NodeRole' }],
              PolicyDocument: { Statement: opts.statements },
            },
          },
        }
      : {}),
    Cni: {
      Type: 'AWS::EKS::Addon',
      Properties: {
        AddonName: 'vpc-cni',
        ClusterName: { Ref: 'C' },
        ...(opts.cniRole === false ? {} : { ServiceAccountRoleArn: 'arn:aws:iam::111122223333:role/cni' }),
      },
    },
    NG: {
      Type: 'AWS::EKS::Nodegroup',
      Properties: { ClusterName: { Ref: 'C' }, NodeRole: { 'Fn::GetAtt': ['NodeRole', 'Arn'] } },
    },
    ...opts.extra,
  });
const allow = (Action: unknown, Sid = 'S') => ({ Sid, Effect: 'Allow', Action, Resource: '*' });

describe('IDN-3 NodeRoleMinimal', () => {
  test('compliant: approved managed policies and narrow statements', () => {
    const result = check(
      NodeRoleMinimal,
      template({
        policies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore'],
        statements: [
          allow(['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel']),
          { Effect: 'Deny', Action: '*', Resource: '*' },
        ],
      }),
      'NG',
    );
    expect(result.status).toBe('pass');
  });
  test('compliant: the CNI policy on the node role while no vpc-cni add-on has its own role', () => {
    expect(
      check(
        NodeRoleMinimal,
        template({ policies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'], cniRole: false }),
        'NG',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: an unapproved managed policy; the CNI policy although the CNI has its own role', () => {
    expect(
      messageLines(
        check(NodeRoleMinimal, template({ policies: ['AmazonEKSWorkerNodePolicy', 'AmazonS3FullAccess'] }), 'NG'),
      ),
    ).toMatch(/AWS managed policy AmazonS3FullAccess, which is not approved/);
    expect(
      messageLines(
        check(NodeRoleMinimal, template({ policies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'] }), 'NG'),
      ),
    ).toMatch(/AmazonEKS_CNI_Policy although the vpc-cni add-on has its own role/);
  });
  test('non-compliant: wildcards, uploads, pushes, PassRole, NotAction', () => {
    for (const action of [
      '*',
      's3:*',
      's3:PutObject',
      's3:P*',
      'ecr:PutImage',
      'ecr:InitiateLayerUpload',
      'iam:PassRole',
      'iam:Pass*',
    ]) {
      const result = check(NodeRoleMinimal, template({ statements: [allow(action)] }), 'NG');
      expect([action, result.status]).toEqual([action, 'fail']);
    }
    expect(
      messageLines(
        check(
          NodeRoleMinimal,
          template({ statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }),
          'NG',
        ),
      ),
    ).toMatch(/NotAction/);
    expect(
      check(NodeRoleMinimal, template({ statements: [allow(['s3:GetObject', 'ecr:BatchGetImage'])] }), 'NG').status,
    ).toBe('pass');
  });
  test('non-compliant: inline policies of the role and customer-managed policies of the template count', () => {
    const inline = template();
    (inline.Resources as any).NodeRole.Properties.Policies = [
      { PolicyName: 'x', PolicyDocument: { Statement: [allow('s3:PutObject')] } },
    ];
    expect(messageLines(check(NodeRoleMinimal, inline, 'NG'))).toMatch(
      /inline policy x of NodeRole \(S\) grants s3:PutObject/,
    );
    const customer = template({
      extra: {
        Mine: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [allow('ecr:*')] } } },
      },
    });
    (customer.Resources as any).NodeRole.Properties.ManagedPolicyArns.push({ Ref: 'Mine' });
    expect(messageLines(check(NodeRoleMinimal, customer, 'NG'))).toMatch(/Mine \(S\) grants ecr:\*/);
  });
  test('unresolved: a node role from a parameter, a managed policy outside the template', () => {
    const parameter = template();
    (parameter.Resources as any).NG.Properties.NodeRole = { Ref: 'NodeRoleArn' };
    expect(check(NodeRoleMinimal, parameter, 'NG').findings).toEqual([unresolvedFinding()]);
    const outside = template();
    (outside.Resources as any).NodeRole.Properties.ManagedPolicyArns.push('arn:aws:iam::111122223333:policy/Whatever');
    expect(check(NodeRoleMinimal, outside, 'NG').findings).toEqual([unresolvedFinding(/policy\/Whatever/)]);
  });
  test('the real product passes, and fails on its node group with the CNI policy or an upload grant on the node role', () => {
    const product = productTemplate();
    expect(failures(NodeRoleMinimal, product)).toEqual([]);
    const [nodegroup] = idsOfType(product, 'AWS::EKS::Nodegroup');
    const roleId = product.Resources[nodegroup].Properties.NodeRole['Fn::GetAtt'][0];
    const cni = productTemplate();
    cni.Resources[roleId].Properties.ManagedPolicyArns.push(awsManagedPolicyArn('AmazonEKS_CNI_Policy'));
    expect(failures(NodeRoleMinimal, cni).map((e) => e.logicalId)).toEqual([nodegroup]);
    const upload = productTemplate();
    const policyId = idsOfType(upload, 'AWS::IAM::Policy').find((id) =>
      JSON.stringify(upload.Resources[id].Properties.Roles).includes(roleId),
    )!;
    upload.Resources[policyId].Properties.PolicyDocument.Statement.push(allow('s3:PutObject', 'Exfil'));
    const failed = failures(NodeRoleMinimal, upload);
    expect(failed.map((e) => e.logicalId)).toEqual([nodegroup]);
    expect(failed[0].findings[0].message).toMatch(/\(Exfil\) grants s3:PutObject/);
  });
});
