import { ControlPlaneLogGroup } from '../../../../nag-rules/rules/cluster/control-plane-log-group';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

const logGroup = (name: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Logs::LogGroup',
  Properties: { LogGroupName: name, RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, ...extra },
});
const template = (
  clusterName: unknown,
  group: Record<string, unknown> | undefined,
  dependsOn: string[] | undefined = ['Logs'],
) =>
  templateOf(
    {
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      ...(group ? { Logs: group } : {}),
      C: {
        Type: 'AWS::EKS::Cluster',
        Properties: clusterName === undefined ? {} : { Name: clusterName },
        ...(dependsOn ? { DependsOn: dependsOn } : {}),
      },
    },
    { Parameters: { ClusterName: { Type: 'String', AllowedPattern: '^[a-z]+$' } } },
  );

describe('CLU-4 ControlPlaneLogGroup', () => {
  test('compliant: literal name, retention, KMS, cluster depends on the group', () => {
    expect(check(ControlPlaneLogGroup, template('prod', logGroup('/aws/eks/prod/cluster')), 'C').status).toBe('pass');
  });
  test('compliant: the same parameter in a join and in a Fn::Sub', () => {
    expect(
      check(
        ControlPlaneLogGroup,
        template({ Ref: 'ClusterName' }, logGroup({ 'Fn::Sub': '/aws/eks/${ClusterName}/cluster' })),
        'C',
      ).status,
    ).toBe('pass');
    const joined = logGroup({ 'Fn::Join': ['', ['/aws/eks/', { Ref: 'ClusterName' }, '/cluster']] });
    expect(check(ControlPlaneLogGroup, template({ Ref: 'ClusterName' }, joined), 'C').status).toBe('pass');
  });
  test('non-compliant: no log group, or one for another cluster', () => {
    expect(messageLines(check(ControlPlaneLogGroup, template('prod', undefined, undefined), 'C'))).toMatch(
      /no AWS::Logs::LogGroup named \/aws\/eks\/prod\/cluster/,
    );
    expect(check(ControlPlaneLogGroup, template('prod', logGroup('/aws/eks/test/cluster')), 'C').status).toBe('fail');
    expect(
      check(ControlPlaneLogGroup, template({ Ref: 'ClusterName' }, logGroup('/aws/eks/ClusterName/cluster')), 'C')
        .status,
    ).toBe('fail');
  });
  test('non-compliant: no KMS key, no retention, cluster not depending on the group', () => {
    const result = check(
      ControlPlaneLogGroup,
      template('prod', logGroup('/aws/eks/prod/cluster', { KmsKeyId: undefined, RetentionInDays: undefined }), []),
      'C',
    );
    expect(result.status).toBe('fail');
    expect(messageLines(result)).toMatch(/no RetentionInDays/);
    expect(messageLines(result)).toMatch(/no KmsKeyId/);
    expect(messageLines(result)).toMatch(/does not depend on log group Logs/);
  });
  test('non-compliant: a cluster without Name', () => {
    expect(
      messageLines(check(ControlPlaneLogGroup, template(undefined, logGroup('/aws/eks/prod/cluster')), 'C')),
    ).toMatch(/has no Name/);
  });
  test('unresolved: retention from a parameter', () => {
    const result = check(
      ControlPlaneLogGroup,
      template('prod', logGroup('/aws/eks/prod/cluster', { RetentionInDays: { Ref: 'Days' } })),
      'C',
    );
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([unresolvedFinding(/RetentionInDays of log group Logs/)]);
  });
  test('aws-eks v1 custom resource: Config.name', () => {
    const v1 = templateOf({
      Logs: logGroup('/aws/eks/prod/cluster'),
      C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { name: 'prod' } }, DependsOn: 'Logs' },
    });
    expect(check(ControlPlaneLogGroup, v1, 'C').status).toBe('pass');
  });
  test('the real product passes, and fails on its cluster without KMS on the group or without the dependency', () => {
    const product = productTemplate();
    expect(failures(ControlPlaneLogGroup, product)).toEqual([]);
    const [clusterId] = idsOfType(product, 'AWS::EKS::Cluster');
    const [groupId] = product.Resources[clusterId].DependsOn;
    expect(product.Resources[groupId].Type).toBe('AWS::Logs::LogGroup');
    const noKey = productTemplate();
    delete noKey.Resources[groupId].Properties.KmsKeyId;
    expect(failures(ControlPlaneLogGroup, noKey).map((e) => e.logicalId)).toEqual([clusterId]);
    const noDependency = productTemplate();
    delete noDependency.Resources[clusterId].DependsOn;
    expect(failures(ControlPlaneLogGroup, noDependency)[0].findings[0].message).toMatch(/does not depend on log group/);
  });
});
