import {
  AUTO_SCALING_GROUP_TYPE,
  LAUNCH_TEMPLATE_TYPE,
  launchTemplateFindings,
  launchTemplateProblems,
  launchTemplatePropertyFindings,
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

describe('launchTemplateFindings and launchTemplatePropertyFindings (what node rules find in launch templates)', () => {
  const findings = (id: string, whenMissing?: string) =>
    launchTemplateFindings(
      model,
      model.resource(id)!,
      model.resource(id)!.Properties!,
      ({ logicalId }) => [{ message: `judged ${logicalId}` }],
      whenMissing,
    ).map((f) => f.message);
  const propertyFindings = (id: string, property: string) =>
    launchTemplatePropertyFindings(
      model,
      model.resource(id)!,
      model.resource(id)!.Properties!,
      property,
      (value, template) => [{ message: `${template}: ${JSON.stringify(value)}` }],
    );

  test('the references that cannot be followed, then what a missing template means, then the judge on each template', () => {
    expect(findings('Outside')).toEqual([
      "launch template ID 'lt-0123' cannot be checked at synth time: it depends on a launch template outside the template",
    ]);
    expect(findings('Optional', 'no metadata options')).toEqual([
      'the launch template is removed (AWS::NoValue) in a branch of Fn::If: no metadata options',
      'judged Template',
    ]);
    // A rule for which having no launch template means nothing gives no message for it.
    expect(findings('Bare')).toEqual([]);
    expect(findings('Bare', 'the root volume takes the AMI settings')).toEqual([
      'the node group has no LaunchTemplate: the root volume takes the AMI settings',
    ]);
  });

  test("a property's value goes to the judge with the template's name; an unreadable one is unresolved", () => {
    expect(propertyFindings('ById', 'MetadataOptions')).toEqual([
      { message: 'launch template Template: {"HttpTokens":"required"}' },
    ]);
    const unreadable = new TemplateModel({
      Resources: {
        Template: {
          Type: LAUNCH_TEMPLATE_TYPE,
          Properties: { LaunchTemplateData: { 'Fn::ImportValue': 'shared-data' } },
        },
        Nodes: { Type: NODEGROUP_TYPE, Properties: { LaunchTemplate: { Id: { Ref: 'Template' } } } },
      },
    });
    const [finding] = launchTemplatePropertyFindings(
      unreadable,
      unreadable.resource('Nodes')!,
      unreadable.resource('Nodes')!.Properties!,
      'UserData',
      () => [{ message: 'never judged' }],
    );
    expect(finding).toMatchObject({
      unresolved: true,
      message: expect.stringMatching(/^UserData of launch template Template cannot be checked/),
    });
  });
});
