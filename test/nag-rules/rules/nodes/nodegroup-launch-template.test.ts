import { NodegroupLaunchTemplate } from '../../../../nag-rules/rules/nodes/nodegroup-launch-template';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { checkNodegroup, productNodegroup } from './fixtures';
import { unresolvedFinding } from '../../rule-findings';

describe('NOD-1 NodegroupLaunchTemplate', () => {
  test('compliant: the node group names a launch template by ID', () => {
    expect(checkNodegroup(NodegroupLaunchTemplate).status).toBe('pass');
  });
  test('compliant: by name, and on a self-managed Auto Scaling group', () => {
    const byName = checkNodegroup(NodegroupLaunchTemplate, (r) => {
      r.NG.Properties.LaunchTemplate = { Name: 'nodes' };
    });
    expect(byName.status).toBe('pass');
    const asg = templateOf({
      A: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: { MinSize: '1', MaxSize: '2', LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' } },
      },
    });
    expect(check(NodegroupLaunchTemplate, asg, 'A').status).toBe('pass');
  });
  test('non-compliant: no launch template', () => {
    const result = checkNodegroup(NodegroupLaunchTemplate, (r) => {
      delete r.NG.Properties.LaunchTemplate;
    });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([{ message: 'the node group has no LaunchTemplate' }]);
  });
  test('non-compliant: removed in one Fn::If branch; Auto Scaling group with a launch configuration', () => {
    const conditional = checkNodegroup(NodegroupLaunchTemplate, (r) => {
      r.NG.Properties.LaunchTemplate = { 'Fn::If': ['C', { Id: { Ref: 'LT' } }, { Ref: 'AWS::NoValue' }] };
    });
    expect(conditional.findings[0].message).toMatch(/removed \(AWS::NoValue\)/);
    const asg = templateOf({
      A: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { LaunchConfigurationName: { Ref: 'LC' } } },
    });
    expect(check(NodegroupLaunchTemplate, asg, 'A').findings[0].message).toMatch(/launch configuration/);
  });
  test('unresolved: the whole specification comes from an expression', () => {
    const result = checkNodegroup(NodegroupLaunchTemplate, (r) => {
      r.NG.Properties.LaunchTemplate = { 'Fn::ImportValue': 'lt' };
    });
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toEqual(unresolvedFinding());
  });
  test('odd input is reported, not thrown', () => {
    const result = checkNodegroup(NodegroupLaunchTemplate, (r) => {
      r.NG.Properties.LaunchTemplate = 5;
    });
    expect(result.findings[0].message).toMatch(/not an object/);
  });
  test('the real product passes, and fails once its node group loses the launch template', () => {
    const template = productTemplate();
    expect(failures(NodegroupLaunchTemplate, template)).toEqual([]);
    const { nodegroup } = productNodegroup(template);
    delete template.Resources[nodegroup].Properties.LaunchTemplate;
    expect(failures(NodegroupLaunchTemplate, template).map((e) => e.logicalId)).toEqual([nodegroup]);
  });
});
