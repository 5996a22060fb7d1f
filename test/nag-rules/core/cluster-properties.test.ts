import {
  addonIs,
  addonsForClusterName,
  clusterSettings,
  clustersNamed,
  cniRole,
  field,
  namesCluster,
  resourcesOfCluster,
} from '../../../nag-rules/core/cluster-properties';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const cni = (properties: Record<string, unknown>) => ({
  Type: 'AWS::EKS::Addon',
  Properties: { ClusterName: { Ref: 'Cluster' }, AddonName: 'vpc-cni', ...properties },
});
const model = new TemplateModel({
  Resources: {
    Cluster: {
      Type: 'AWS::EKS::Cluster',
      Properties: { Name: { 'Fn::Sub': '${AWS::StackName}-eks' }, Version: '1.31' },
    },
    Legacy: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { name: 'legacy', version: '1.30' } } },
    NodeRole: { Type: 'AWS::IAM::Role', Properties: {} },
    CniRole: { Type: 'AWS::IAM::Role', Properties: {} },
    OwnRole: cni({ ServiceAccountRoleArn: { 'Fn::GetAtt': ['CniRole', 'Arn'] } }),
    NodeCredentials: cni({ ServiceAccountRoleArn: { 'Fn::GetAtt': ['NodeRole', 'Arn'] } }),
    Maybe: cni({
      ServiceAccountRoleArn: { 'Fn::If': ['C', { 'Fn::GetAtt': ['CniRole', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
    }),
    None: cni({}),
    ByName: {
      Type: 'AWS::EKS::Addon',
      Properties: {
        ClusterName: { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '-eks']] },
        AddonName: { Ref: 'AddonName' },
      },
    },
    Group: {
      Type: 'AWS::EKS::Nodegroup',
      Properties: { ClusterName: { Ref: 'Cluster' }, NodeRole: { 'Fn::GetAtt': ['NodeRole', 'Arn'] } },
    },
  },
});

test('settings of both CDK EKS flavours, by CloudFormation or API name', () => {
  expect(field(clusterSettings(model.resource('Cluster')), 'Version')).toBe('1.31');
  expect(field(clusterSettings(model.resource('Legacy')), 'Version')).toBe('1.30');
});

test('resources of a cluster: by reference, or by the same name expression', () => {
  expect(namesCluster(model, 'Cluster', { 'Fn::Sub': '${AWS::StackName}-eks' })).toBe(true);
  expect(clustersNamed(model, model.resource('ByName')!.Properties!.ClusterName)).toEqual(['Cluster']);
  expect(resourcesOfCluster(model, 'Cluster', 'AWS::EKS::Nodegroup').map(([id]) => id)).toEqual(['Group']);
  expect(addonsForClusterName(model, { Ref: 'Cluster' }).map(([id]) => id)).toEqual([
    'OwnRole',
    'NodeCredentials',
    'Maybe',
    'None',
    'ByName',
  ]);
  expect([
    addonIs(model, model.resource('None')!, 'vpc-cni'),
    addonIs(model, model.resource('None')!, 'coredns'),
    addonIs(model, model.resource('ByName')!, 'vpc-cni'),
  ]).toEqual(['yes', 'no', 'unknown']);
});

test('the VPC CNI runs under a role of its own, the node role, or maybe', () => {
  expect(cniRole(model, 'OwnRole')).toEqual({ own: 'yes' });
  expect(cniRole(model, 'NodeCredentials')).toEqual({ own: 'no' });
  expect(cniRole(model, 'Maybe')).toEqual({
    own: 'unknown',
    because: 'ServiceAccountRoleArn is AWS::NoValue in one branch of an Fn::If',
  });
  expect(cniRole(model, 'None')).toEqual({ own: 'no' });
});
