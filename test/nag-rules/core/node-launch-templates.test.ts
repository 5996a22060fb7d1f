import {
  AUTO_SCALING_GROUP_TYPE,
  LAUNCH_TEMPLATE_TYPE,
  launchTemplateProblems,
  NODEGROUP_TYPE,
  nodegroupsOfCluster,
  nodeLaunchTemplates,
} from '../../../nag-rules/core/node-launch-templates';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const model = new TemplateModel({
  Resources: {
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'prod' } },
    Template: {
      Type: LAUNCH_TEMPLATE_TYPE,
      Properties: { LaunchTemplateName: 'nodes', LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } },
    },
    ById: {
      Type: NODEGROUP_TYPE,
      Properties: { ClusterName: { Ref: 'Cluster' }, LaunchTemplate: { Id: { Ref: 'Template' } } },
    },
    ByName: { Type: NODEGROUP_TYPE, Properties: { ClusterName: 'prod', LaunchTemplate: { Name: 'nodes' } } },
    Outside: { Type: NODEGROUP_TYPE, Properties: { ClusterName: 'other', LaunchTemplate: { Id: 'lt-0123' } } },
    Optional: {
      Type: NODEGROUP_TYPE,
      Properties: { LaunchTemplate: { 'Fn::If': ['C', { Id: { Ref: 'Template' } }, { Ref: 'AWS::NoValue' }] } },
    },
    Bare: { Type: NODEGROUP_TYPE, Properties: {} },
    Asg: { Type: AUTO_SCALING_GROUP_TYPE, Properties: { LaunchConfigurationName: 'old' } },
  },
});
const of = (id: string) => nodeLaunchTemplates(model, model.resource(id)!, model.resource(id)!.Properties!);

test('launch templates followed by ID and by name, with their data', () => {
  expect(of('ById')).toEqual({
    templates: [
      { logicalId: 'Template', kind: 'launch template', data: { MetadataOptions: { HttpTokens: 'required' } } },
    ],
    missing: undefined,
    unresolved: [],
  });
  expect(of('ByName').templates.map((t) => t.logicalId)).toEqual(['Template']);
});

test('a launch template outside the template is unresolved; a removable or absent one is missing', () => {
  expect(of('Outside').unresolved.map((f) => f.message)).toEqual([
    "launch template ID 'lt-0123' cannot be checked at synth time: it depends on a launch template outside the template",
  ]);
  expect(of('Optional')).toMatchObject({
    templates: [{ logicalId: 'Template' }],
    missing: 'the launch template is removed (AWS::NoValue) in a branch of Fn::If',
  });
  expect(of('Bare')).toEqual({ templates: [], missing: 'the node group has no LaunchTemplate', unresolved: [] });
  // A launch configuration outside the template (only its name) cannot be followed: unresolved, not silently passed.
  expect(of('Asg').templates).toEqual([]);
  expect(of('Asg').unresolved.length + (of('Asg').missing ? 1 : 0)).toBeGreaterThan(0);
});

test('launchTemplateProblems judges the specification without following it', () => {
  expect(launchTemplateProblems(model.resource('ById')!, model.resource('ById')!.Properties!)).toEqual([]);
  expect(launchTemplateProblems(model.resource('Optional')!, model.resource('Optional')!.Properties!)).toEqual([
    { message: 'the launch template is removed (AWS::NoValue) in a branch of Fn::If' },
  ]);
  expect(
    launchTemplateProblems(model.resource(NODEGROUP_TYPE) ?? { Type: NODEGROUP_TYPE }, {
      LaunchTemplate: { Version: '1' },
    }),
  ).toEqual([{ message: 'the launch template specification names neither an ID nor a name' }]);
});

test('node groups of a cluster, by reference or by its name', () => {
  expect(nodegroupsOfCluster(model, 'Cluster').map(([id]) => id)).toEqual(['ById', 'ByName']);
});
