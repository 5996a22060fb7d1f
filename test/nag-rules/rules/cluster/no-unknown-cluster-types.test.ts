import { NoUnknownClusterTypes } from '../../../../nag-rules/rules/cluster/no-unknown-cluster-types';
import { ALL_RULES } from '../../../../nag-rules/rules';
import { evaluateTemplate } from '../../../../nag-rules/core/evaluate';
import { check, checkSole, failures, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

describe('CLU-11 NoUnknownClusterTypes', () => {
  test("compliant or not applicable: AWS types, CDK's EKS types, custom resources without a cluster shape, SDK calls to other services", () => {
    expect(checkSole(NoUnknownClusterTypes, { T: { Type: 'AWS::SNS::Topic', Properties: {} } }).status).toBe(
      'not-applicable',
    );
    expect(
      checkSole(NoUnknownClusterTypes, {
        K: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: '[]' } },
      }).status,
    ).toBe('not-applicable');
    expect(
      checkSole(NoUnknownClusterTypes, {
        C: { Type: 'Custom::Seed', Properties: { ServiceToken: 'arn', TableName: 't' } },
      }).status,
    ).toBe('pass');
    const lookup = { service: 'EC2', action: 'describePrefixLists', parameters: {} };
    expect(
      checkSole(NoUnknownClusterTypes, { A: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify(lookup) } } })
        .status,
    ).toBe('pass');
  });
  test('non-compliant: a registry cluster type, a custom resource of cluster shape, an AwsCustomResource calling EKS', () => {
    const quickStart = templateOf({
      EKS: {
        Type: 'AWSQS::EKS::Cluster',
        Properties: { Name: 'c', RoleArn: 'arn', ResourcesVpcConfig: { SubnetIds: ['s'] } },
      },
    });
    expect(check(NoUnknownClusterTypes, quickStart, 'EKS').findings).toEqual([
      {
        message:
          'AWSQS::EKS::Cluster is a registry extension type the pack does not understand, and its type name and its properties ResourcesVpcConfig say it makes or configures a cluster: none of its settings are checked',
      },
    ]);
    const custom = templateOf({
      C: { Type: 'Custom::Apply', Properties: { ServiceToken: 'arn', ClusterName: 'c', Manifest: '{}' } },
    });
    expect(check(NoUnknownClusterTypes, custom, 'C').findings[0].message).toMatch(
      /custom resource type .* its properties ClusterName, Manifest/,
    );
    const call = { service: 'EKS', action: 'createAccessEntry', parameters: { clusterName: 'c', principalArn: 'arn' } };
    expect(
      checkSole(NoUnknownClusterTypes, { A: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify(call) } } })
        .findings[0].message,
    ).toBe(
      'the AwsCustomResource calls the EKS API (createAccessEntry): what it changes in the cluster is not checked by the pack',
    );
  });
  test('unresolved: an AwsCustomResource call that is not JSON at synth time', () => {
    const result = checkSole(NoUnknownClusterTypes, {
      A: { Type: 'Custom::AWS', Properties: { Create: { Ref: 'Call' } } },
    });
    expect(result.findings).toEqual([unresolvedFinding()]);
  });
  test('a Quick Start template with only a registry cluster no longer passes the pack silently', () => {
    const template = templateOf({
      EKS: { Type: 'AWSQS::EKS::Cluster', Properties: { KubernetesVersion: '1.36' } },
      Helm: { Type: 'AWSQS::Kubernetes::Helm', Properties: { ClusterID: { Ref: 'EKS' }, Chart: 'x' } },
    });
    expect(
      evaluateTemplate(template, ALL_RULES)
        .filter((e) => e.status === 'fail')
        .map((e) => [e.controlId, e.logicalId]),
    ).toEqual([
      ['CLU-11', 'EKS'],
      ['CLU-11', 'Helm'],
    ]);
  });
  test('the real product passes, and fails on a registry cluster type added to it', () => {
    const template = productTemplate();
    expect(failures(NoUnknownClusterTypes, template)).toEqual([]);
    template.Resources.ShadowCluster = {
      Type: 'AWSQS::EKS::Cluster',
      Properties: { KubernetesVersion: '1.30', ResourcesVpcConfig: { EndpointPublicAccess: true } },
    };
    expect(failures(NoUnknownClusterTypes, template).map((e) => e.logicalId)).toEqual(['ShadowCluster']);
  });
});
