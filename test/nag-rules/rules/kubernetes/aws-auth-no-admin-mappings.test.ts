import { AwsAuthNoAdminMappings } from '../../../../nag-rules/rules/kubernetes/aws-auth-no-admin-mappings';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkManifest, cluster, editManifestApplying, MANIFEST_TYPE, patchTemplate } from './kubernetes-fixtures';

const awsAuth = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'aws-auth', namespace: 'kube-system' },
  data,
});
const nodeMapping =
  '- rolearn: arn:aws:iam::111122223333:role/NodeRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n';

describe('K8S-1 AwsAuthNoAdminMappings', () => {
  test('compliant: aws-auth mapping only the node role to the node groups', () => {
    expect(checkManifest(AwsAuthNoAdminMappings, [awsAuth({ mapRoles: nodeMapping })]).status).toBe('pass');
  });

  test('not applicable: a manifest without aws-auth (a ConfigMap of the same name elsewhere does not count)', () => {
    const other = {
      ...awsAuth({ mapUsers: '- userarn: arn:aws:iam::111122223333:user/bob' }),
      metadata: { name: 'aws-auth', namespace: 'workloads' },
    };
    expect(checkManifest(AwsAuthNoAdminMappings, [other]).status).toBe('not-applicable');
  });

  test('non-compliant: system:masters, a wildcard role, mapUsers and mapAccounts each give a finding', () => {
    const mapRoles =
      `${nodeMapping}- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: admin\n  groups: [system:masters]\n` +
      '- rolearn: "arn:aws:iam::111122223333:role/*"\n  username: anyone\n  groups: [viewers]\n';
    const result = checkManifest(AwsAuthNoAdminMappings, [
      awsAuth({
        mapRoles,
        mapUsers: '- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n  groups: [viewers]\n',
        mapAccounts: '- "444455556666"\n',
      }),
    ]);
    expect(result.status).toBe('fail');
    const found = messages(result);
    expect(found).toHaveLength(4);
    expect(found.find((m) => m.includes('system:masters'))).toMatch(/role\/Admin/);
    expect(found.find((m) => m.includes('wildcard'))).toMatch(/role\/\*/);
    expect(found.find((m) => m.includes('mapUsers'))).toMatch(/user\/bob/);
    expect(found.find((m) => m.includes('mapAccounts'))).toMatch(/444455556666/);
  });

  test('non-compliant: CDK-style JSON mapRoles (flow YAML) with system:masters', () => {
    const mapRoles = JSON.stringify([
      { rolearn: 'arn:aws:iam::111122223333:role/Admin', username: 'admin', groups: ['system:masters'] },
    ]);
    const result = checkManifest(AwsAuthNoAdminMappings, [awsAuth({ mapRoles })]);
    expect(messages(result)).toEqual([expect.stringMatching(/mapRoles entry 1 .* to system:masters/)]);
  });

  test('non-compliant: mapRoles that is not valid YAML is a finding, not silence', () => {
    const result = checkManifest(AwsAuthNoAdminMappings, [awsAuth({ mapRoles: '- rolearn: [unclosed' })]);
    expect(result.status).toBe('fail');
    expect(result.findings[0].message).toMatch(/mapRoles of ConfigMap kube-system\/aws-auth is not valid YAML/);
  });

  test('unresolved: a role ARN from a parameter; a role of the template is accepted', () => {
    const mapRoles = (role: unknown) => ({
      'Fn::Join': [
        '',
        [
          '[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"aws-auth","namespace":"kube-system"},"data":{"mapRoles":"[{\\"rolearn\\":\\"',
          role,
          '\\",\\"username\\":\\"x\\",\\"groups\\":[\\"viewers\\"]}]"}}]',
        ],
      ],
    });
    const template = (role: unknown) =>
      templateOf({
        Cluster: cluster(),
        Role: { Type: 'AWS::IAM::Role', Properties: {} },
        M: { Type: MANIFEST_TYPE, Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: mapRoles(role) } },
      });
    const fromParameter = check(AwsAuthNoAdminMappings, template({ Ref: 'RoleArnParameter' }), 'M');
    expect(fromParameter.status).toBe('fail');
    expect(fromParameter.findings).toEqual([unresolvedFinding(/rolearn .*RoleArnParameter/)]);
    expect(check(AwsAuthNoAdminMappings, template({ 'Fn::GetAtt': ['Role', 'Arn'] }), 'M').status).toBe('pass');
  });

  test('non-compliant: a kubectl patch of aws-auth adding a user', () => {
    const patch = patchTemplate('configmap/aws-auth', 'kube-system', {
      ApplyPatchJson: JSON.stringify({
        data: { mapUsers: '- userarn: arn:aws:iam::111122223333:user/eve\n  groups: [system:masters]' },
      }),
    });
    const result = check(AwsAuthNoAdminMappings, patch, 'P');
    expect(result.status).toBe('fail');
    expect(result.findings[0].message).toMatch(
      /aws-auth patch maps the IAM user 'arn:aws:iam::111122223333:user\/eve'/,
    );
  });

  test('non-compliant: a JSON patch (RFC 6902) adding system:masters to mapRoles', () => {
    const patch = patchTemplate('configmap/aws-auth', 'kube-system', {
      PatchType: 'json',
      ApplyPatchJson: JSON.stringify([
        {
          op: 'replace',
          path: '/data/mapRoles',
          value: '- rolearn: arn:aws:iam::111122223333:role/Ops\n  groups: [system:masters]',
        },
      ]),
    });
    expect(messages(check(AwsAuthNoAdminMappings, patch, 'P'))).toEqual([
      expect.stringMatching(/^mapRoles entry 1 of the aws-auth patch maps .*role\/Ops' to system:masters/),
    ]);
  });

  test('the real product passes (it has no aws-auth), and fails once a manifest maps a role to system:masters', () => {
    const template = productTemplate();
    expect(failures(AwsAuthNoAdminMappings, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'ClusterRole' }, (objects) => [
      ...objects,
      awsAuth({
        mapRoles: '- rolearn: arn:aws:iam::111122223333:role/Ops\n  username: ops\n  groups: [system:masters]',
      }),
    ]);
    const failed = failures(AwsAuthNoAdminMappings, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/role\/Ops' to system:masters/);
  });
});
