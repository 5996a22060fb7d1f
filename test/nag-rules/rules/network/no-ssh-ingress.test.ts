import { NoSshIngress } from '../../../../nag-rules/rules/network/no-ssh-ingress';
import { failures, productTemplate } from '../../rule-harness';
import { exactUnresolved } from '../../rule-findings';
import { checkGroupWith, checkRuleInto, productKubeletRule } from './fixtures';
import { groupIdOf } from '../template-values';

describe('NET-2 NoSshIngress', () => {
  test('compliant: other ports, UDP 22, and all traffic from a security group', () => {
    expect(
      checkGroupWith(
        NoSshIngress,
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' },
        { IpProtocol: 'udp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
      ).status,
    ).toBe('pass');
    expect(checkRuleInto(NoSshIngress, { IpProtocol: '-1', SourceSecurityGroupId: groupIdOf('SG') }).status).toBe(
      'pass',
    );
  });
  test('non-compliant: TCP 22, a TCP range including 22 (even from a security group), protocol 6', () => {
    expect(
      checkGroupWith(NoSshIngress, { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' }).findings,
    ).toEqual([{ message: 'SecurityGroupIngress[0] of SG opens TCP port 22 (ports 22-22)' }]);
    expect(
      checkRuleInto(NoSshIngress, { IpProtocol: 'tcp', FromPort: 0, ToPort: 1024, SourceSecurityGroupId: 'sg-1' })
        .status,
    ).toBe('fail');
    expect(
      checkRuleInto(NoSshIngress, { IpProtocol: '6', FromPort: '20', ToPort: '30', CidrIp: '10.0.0.0/8' }).status,
    ).toBe('fail');
  });
  test('non-compliant: all traffic from a CIDR', () => {
    expect(checkRuleInto(NoSshIngress, { IpProtocol: -1, CidrIp: '10.0.0.0/8' }).findings[0].message).toMatch(
      /allows all traffic, port 22 included, from a network range/,
    );
  });
  test('unresolved: ports from a parameter', () => {
    const result = checkRuleInto(NoSshIngress, {
      IpProtocol: 'tcp',
      FromPort: { Ref: 'Port' },
      ToPort: { Ref: 'Port' },
      CidrIp: '10.0.0.0/8',
    });
    expect(result.findings).toEqual([
      exactUnresolved('the protocol and ports of rule Rule', "parameter or resource 'Port'"),
    ]);
  });
  test('the real product passes, and fails once SSH is opened to the nodes from the corporate network', () => {
    const template = productTemplate();
    expect(failures(NoSshIngress, template)).toEqual([]);
    const nodesRule = productKubeletRule(template);
    Object.assign(template.Resources[nodesRule].Properties, { FromPort: 22, ToPort: 22 });
    expect(failures(NoSshIngress, template).map((e) => e.logicalId)).toEqual([nodesRule]);
  });
});
