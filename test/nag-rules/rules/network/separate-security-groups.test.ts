import { SeparateSecurityGroups } from '../../../../nag-rules/rules/network/separate-security-groups';
import { check, failures, idsOfType, productTemplate } from '../../rule-harness';
import { exactUnresolved, messages, unresolvedFinding } from '../../rule-findings';
import { checkCluster, clusterTemplate, productKubeletRule } from './fixtures';
import { groupIdOf } from '../template-values';

describe('NET-3 SeparateSecurityGroups', () => {
  test('compliant: own control-plane and node groups, kubelet from the control plane, node-to-node traffic', () => {
    expect(checkCluster(SeparateSecurityGroups).status).toBe('pass');
  });
  test('non-compliant: the cluster names no control-plane security group', () => {
    const result = checkCluster(SeparateSecurityGroups, (r) => {
      delete r.C.Properties.ResourcesVpcConfig.SecurityGroupIds;
    });
    expect(messages(result)).toEqual([
      expect.stringMatching(/^the cluster names no control-plane security group/),
      // CpSg is no longer the control plane's, so the kubelet rule from it is judged as from a stranger.
      "rule Kubelet opens the kubelet port 10250 of node security group NodeSg to security group CpSg, which is neither the control plane's nor a node group's",
    ]);
  });
  test('non-compliant: a node group without launch template, or whose launch template attaches no group', () => {
    const noTemplate = checkCluster(SeparateSecurityGroups, (r) => {
      delete r.NG.Properties.LaunchTemplate;
    });
    expect(noTemplate.findings).toEqual([
      {
        message:
          'node group NG: the node group has no LaunchTemplate, so EKS attaches the cluster security group it shares with the control plane',
      },
    ]);
    const noGroups = checkCluster(SeparateSecurityGroups, (r) => {
      delete r.LT.Properties.LaunchTemplateData.SecurityGroupIds;
    });
    expect(noGroups.findings[0].message).toMatch(/^launch template LT of node group NG attaches no security group/);
  });
  test('non-compliant: nodes share the control-plane group or the EKS cluster security group', () => {
    const shared = checkCluster(SeparateSecurityGroups, (r) => {
      r.LT.Properties.LaunchTemplateData.SecurityGroupIds.push(groupIdOf('CpSg'));
    });
    expect(shared.findings).toEqual([
      { message: 'node group NG uses the control-plane security group CpSg (launch template LT)' },
    ]);
    const clusterSg = checkCluster(SeparateSecurityGroups, (r) => {
      r.LT.Properties.LaunchTemplateData.SecurityGroupIds = [{ 'Fn::GetAtt': ['C', 'ClusterSecurityGroupId'] }];
    });
    expect(clusterSg.findings[0].message).toMatch(/uses the EKS cluster security group/);
  });
  test('non-compliant: the kubelet port opened to a CIDR or to another group, inline or by an all-traffic rule', () => {
    const cidr = checkCluster(SeparateSecurityGroups, (r) => {
      r.Kubelet.Properties.CidrIp = '10.0.0.0/8';
      delete r.Kubelet.Properties.SourceSecurityGroupId;
    });
    expect(cidr.findings).toEqual([
      {
        message:
          'rule Kubelet opens the kubelet port 10250 of node security group NodeSg to a network range (CidrIp 10.0.0.0/8)',
      },
    ]);
    const other = checkCluster(SeparateSecurityGroups, (r) => {
      r.Other = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'bastion' } };
      r.NodeSg.Properties.SecurityGroupIngress = [{ IpProtocol: '-1', SourceSecurityGroupId: groupIdOf('Other') }];
    });
    expect(other.findings).toEqual([
      {
        message:
          "SecurityGroupIngress[0] of NodeSg opens the kubelet port 10250 of node security group NodeSg to security group Other, which is neither the control plane's nor a node group's",
      },
    ]);
  });
  test('unresolved: control-plane group from a parameter, a launch template outside the template', () => {
    const parameter = checkCluster(SeparateSecurityGroups, (r) => {
      r.C.Properties.ResourcesVpcConfig.SecurityGroupIds = { Ref: 'Groups' };
    });
    expect(parameter.findings[0]).toEqual(unresolvedFinding(/^the control-plane security groups cannot be checked/));
    const outside = checkCluster(SeparateSecurityGroups, (r) => {
      r.NG.Properties.LaunchTemplate = { Name: 'shared-nodes' };
    });
    expect(outside.findings).toEqual([
      exactUnresolved("node group NG: launch template name 'shared-nodes'", 'a launch template outside the template'),
    ]);
  });
  test('aws-eks v1 custom-resource clusters are judged too', () => {
    const template = clusterTemplate((r) => {
      r.C = {
        Type: 'Custom::AWSCDK-EKS-Cluster',
        Properties: { Config: { name: 'c', resourcesVpcConfig: { securityGroupIds: [groupIdOf('CpSg')] } } },
      };
      delete r.NG.Properties.LaunchTemplate;
    });
    expect(check(SeparateSecurityGroups, template, 'C').findings[0].message).toMatch(
      /node group NG: the node group has no LaunchTemplate/,
    );
  });
  test('the real product passes (node-to-node all traffic is allowed)', () => {
    expect(failures(SeparateSecurityGroups, productTemplate())).toEqual([]);
  });
  test('the real product fails on its cluster once the kubelet is opened to the corporate network or nodes share the control-plane group', () => {
    const template = productTemplate();
    const [cluster] = idsOfType(template, 'AWS::EKS::Cluster');
    const kubelet = productKubeletRule(template);
    delete template.Resources[kubelet].Properties.SourceSecurityGroupId;
    template.Resources[kubelet].Properties.CidrIp = '10.0.0.0/8';
    expect(failures(SeparateSecurityGroups, template).map((e) => e.logicalId)).toEqual([cluster]);

    const shared = productTemplate();
    const [launchTemplate] = idsOfType(shared, 'AWS::EC2::LaunchTemplate');
    shared.Resources[launchTemplate].Properties.LaunchTemplateData.SecurityGroupIds =
      shared.Resources[cluster].Properties.ResourcesVpcConfig.SecurityGroupIds;
    expect(failures(SeparateSecurityGroups, shared).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [cluster, expect.stringMatching(/uses the control-plane security group/)],
    ]);
  });
});
