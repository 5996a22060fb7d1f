import { AccessEntriesScoped } from '../../../../nag-rules/rules/identity/access-entries-scoped';
import { check, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';
import { arnOf } from '../template-values';

const policyArn = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;
const entry = (properties: Record<string, unknown>) => ({
  Type: 'AWS::EKS::AccessEntry',
  Properties: { ClusterName: 'c', ...properties },
});
const roles = {
  Node: { Type: 'AWS::IAM::Role', Properties: {} },
  Other: { Type: 'AWS::IAM::Role', Properties: {} },
  Pods: { Type: 'AWS::IAM::Role', Properties: {} },
  Group: { Type: 'AWS::EKS::Nodegroup', Properties: { NodeRole: arnOf('Node') } },
  Profile: { Type: 'AWS::EKS::FargateProfile', Properties: { PodExecutionRoleArn: arnOf('Pods') } },
};

describe('IDN-13 AccessEntriesScoped', () => {
  test("compliant: a node entry for the node group's role, a Fargate entry for the profile's role, a namespaced editor", () => {
    expect(
      check(
        AccessEntriesScoped,
        templateOf({ ...roles, E: entry({ Type: 'EC2_LINUX', PrincipalArn: arnOf('Node') }) }),
        'E',
      ).status,
    ).toBe('pass');
    expect(
      check(
        AccessEntriesScoped,
        templateOf({ ...roles, E: entry({ Type: 'FARGATE_LINUX', PrincipalArn: arnOf('Pods') }) }),
        'E',
      ).status,
    ).toBe('pass');
    const editor = entry({
      PrincipalArn: arnOf('Other'),
      AccessPolicies: [
        { PolicyArn: policyArn('AmazonEKSEditPolicy'), AccessScope: { Type: 'namespace', Namespaces: ['workloads'] } },
      ],
    });
    expect(check(AccessEntriesScoped, templateOf({ ...roles, E: editor }), 'E').status).toBe('pass');
  });

  test('non-compliant: another role joins as a node or as Fargate, a system: group or user, Edit on kube-system or the cluster, an account from a parameter', () => {
    expect(
      messageLines(
        check(
          AccessEntriesScoped,
          templateOf({ ...roles, E: entry({ Type: 'EC2_LINUX', PrincipalArn: arnOf('Other') }) }),
          'E',
        ),
      ),
    ).toMatch(/type EC2_LINUX .* goes to Other, which is not one of the template's node roles/);
    expect(
      messageLines(
        check(
          AccessEntriesScoped,
          templateOf({
            ...roles,
            E: entry({ Type: 'EC2_WINDOWS', PrincipalArn: 'arn:aws:iam::111122223333:role/Rogue' }),
          }),
          'E',
        ),
      ),
    ).toMatch(/goes to arn:aws:iam::111122223333:role\/Rogue/);
    expect(
      messageLines(
        check(
          AccessEntriesScoped,
          templateOf({ ...roles, E: entry({ Type: 'FARGATE_LINUX', PrincipalArn: arnOf('Node') }) }),
          'E',
        ),
      ),
    ).toMatch(/Fargate pod execution roles/);
    expect(
      messageLines(
        check(
          AccessEntriesScoped,
          templateOf({ ...roles, E: entry({ PrincipalArn: arnOf('Other'), KubernetesGroups: ['system:masters'] }) }),
          'E',
        ),
      ),
    ).toMatch(/built-in group system:masters/);
    expect(
      messageLines(
        check(
          AccessEntriesScoped,
          templateOf({ ...roles, E: entry({ PrincipalArn: arnOf('Other'), Username: 'system:node:ip-10-0-0-1' }) }),
          'E',
        ),
      ),
    ).toMatch(/impersonates a built-in identity/);
    const kubeSystem = entry({
      PrincipalArn: arnOf('Other'),
      AccessPolicies: [
        {
          PolicyArn: policyArn('AmazonEKSAdminPolicy'),
          AccessScope: { Type: 'namespace', Namespaces: ['kube-system', 'team-*'] },
        },
      ],
    });
    expect(messageLines(check(AccessEntriesScoped, templateOf({ ...roles, E: kubeSystem }), 'E'))).toMatch(
      /AmazonEKSAdminPolicy is granted in kube-system, team-\*/,
    );
    const clusterEdit = entry({
      PrincipalArn: arnOf('Other'),
      AccessPolicies: [{ PolicyArn: policyArn('AmazonEKSEditPolicy'), AccessScope: { Type: 'cluster' } }],
    });
    expect(messageLines(check(AccessEntriesScoped, templateOf({ ...roles, E: clusterEdit }), 'E'))).toMatch(
      /AmazonEKSEditPolicy is granted at cluster scope/,
    );
    const secrets = entry({
      PrincipalArn: arnOf('Other'),
      AccessPolicies: [{ PolicyArn: policyArn('AmazonEKSAdminViewPolicy'), AccessScope: { Type: 'cluster' } }],
    });
    expect(messageLines(check(AccessEntriesScoped, templateOf({ ...roles, E: secrets }), 'E'))).toMatch(
      /AmazonEKSAdminViewPolicy is granted at cluster scope: it reads every Secret/,
    );
    const kubeSystemSecrets = entry({
      PrincipalArn: arnOf('Other'),
      AccessPolicies: [
        {
          PolicyArn: policyArn('AmazonEKSSecretReaderPolicy'),
          AccessScope: { Type: 'namespace', Namespaces: ['kube-system'] },
        },
      ],
    });
    expect(messageLines(check(AccessEntriesScoped, templateOf({ ...roles, E: kubeSystemSecrets }), 'E'))).toBe(
      "AmazonEKSSecretReaderPolicy is granted in kube-system: it reads the Secrets of the cluster's own add-ons",
    );
    const viewer = entry({
      PrincipalArn: arnOf('Other'),
      AccessPolicies: [{ PolicyArn: policyArn('AmazonEKSViewPolicy'), AccessScope: { Type: 'cluster' } }],
    });
    expect(check(AccessEntriesScoped, templateOf({ ...roles, E: viewer }), 'E').status).toBe('pass');
    const chosen = templateOf(
      { ...roles, E: entry({ PrincipalArn: { 'Fn::Sub': 'arn:aws:iam::${Account}:role/Viewer' } }) },
      { Parameters: { Account: { Type: 'String' } } },
    );
    expect(messageLines(check(AccessEntriesScoped, chosen, 'E'))).toMatch(/parameter 'Account' chooses the account/);
  });

  test('unresolved: a Type from a parameter without allowed values, a node entry for an imported principal', () => {
    const type = check(
      AccessEntriesScoped,
      templateOf(
        { ...roles, E: entry({ Type: { Ref: 'Type' }, PrincipalArn: arnOf('Node') }) },
        { Parameters: { Type: { Type: 'String' } } },
      ),
      'E',
    );
    expect(type.findings).toEqual([unresolvedFinding()]);
    const imported = check(
      AccessEntriesScoped,
      templateOf({ ...roles, E: entry({ Type: 'EC2_LINUX', PrincipalArn: { 'Fn::ImportValue': 'NodeRoleArn' } }) }),
      'E',
    );
    expect(imported.findings).toEqual([unresolvedFinding()]);
    const allowed = templateOf(
      { ...roles, E: entry({ Type: { Ref: 'Type' }, PrincipalArn: arnOf('Other') }) },
      { Parameters: { Type: { Type: 'String', AllowedValues: ['STANDARD', 'EC2_LINUX'] } } },
    );
    expect(messageLines(check(AccessEntriesScoped, allowed, 'E'))).toMatch(/type EC2_LINUX/);
  });

  test("the real product passes, and fails on the responder's entry once it joins as a node, and on the editor's once it reaches kube-system", () => {
    expect(failures(AccessEntriesScoped, productTemplate())).toEqual([]);
    const product = productTemplate();
    const responder = productIdOf(product, 'AWS::EKS::AccessEntry', 'KubernetesResponderAccessEntry');
    product.Resources[responder].Properties.Type = 'EC2_LINUX';
    delete product.Resources[responder].Properties.KubernetesGroups;
    expect(failures(AccessEntriesScoped, product).map((e) => e.logicalId)).toEqual([responder]);
    const editor = productTemplate();
    const editorId = productIdOf(editor, 'AWS::EKS::AccessEntry', 'AccessNamespaceEditor');
    editor.Resources[editorId].Properties.AccessPolicies[0].AccessScope.Namespaces.push('kube-system');
    expect(failures(AccessEntriesScoped, editor).map((e) => e.logicalId)).toEqual([editorId]);
  });
});
