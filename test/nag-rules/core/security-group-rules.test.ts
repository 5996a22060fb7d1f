import {
  cidrValues,
  groupsNamed,
  ingressRulesInto,
  isWorld,
  opensTcpPort,
  ownIngressRules,
  SECURITY_GROUP,
  SECURITY_GROUP_INGRESS,
} from '../../../nag-rules/core/security-group-rules';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const model = new TemplateModel({
  Parameters: { Protocol: { Type: 'String', AllowedValues: ['tcp', 'udp'] }, Anything: { Type: 'String' } },
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Group: {
      Type: SECURITY_GROUP,
      Properties: {
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } },
          {
            'Fn::If': [
              'Ssh',
              { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' },
              { Ref: 'AWS::NoValue' },
            ],
          },
          { Ref: 'ExtraRule' },
        ],
      },
    },
    Other: { Type: SECURITY_GROUP, Properties: { SecurityGroupIngress: { Ref: 'Rules' } } },
    Standalone: {
      Type: SECURITY_GROUP_INGRESS,
      Properties: {
        GroupId: { 'Fn::GetAtt': ['Group', 'GroupId'] },
        IpProtocol: '-1',
        SourceSecurityGroupId: { Ref: 'Other' },
      },
    },
  },
});

describe('ingress rules', () => {
  test('inline rules (Fn::If branches opened, AWS::NoValue left out) and what cannot be read', () => {
    const { rules, unresolved } = ownIngressRules('Group', SECURITY_GROUP, model.resource('Group')!.Properties!);
    expect(rules.map((r) => r.name)).toEqual(['SecurityGroupIngress[0] of Group', 'SecurityGroupIngress[1] of Group']);
    expect(unresolved.map((f) => f.message)).toEqual([
      "SecurityGroupIngress[2] of Group cannot be checked at synth time: it depends on parameter or resource 'ExtraRule'",
    ]);
    expect(ownIngressRules('Other', SECURITY_GROUP, model.resource('Other')!.Properties!).unresolved).toHaveLength(1);
  });

  test('rules into a group include the standalone rules aimed at it', () => {
    expect(ingressRulesInto(model, 'Group').rules.map((r) => r.name)).toEqual([
      'SecurityGroupIngress[0] of Group',
      'SecurityGroupIngress[1] of Group',
      'rule Standalone',
    ]);
    expect(ingressRulesInto(model, 'Other').rules).toEqual([]);
  });
});

describe('ports, CIDRs and sources', () => {
  test('opensTcpPort: a range that includes the port, all traffic, or unknown', () => {
    expect(opensTcpPort(model, { IpProtocol: 'tcp', FromPort: 0, ToPort: 1024 }, 22)).toEqual({
      known: true,
      value: 'port',
    });
    expect(opensTcpPort(model, { IpProtocol: '-1' }, 22)).toEqual({ known: true, value: 'all-traffic' });
    expect(opensTcpPort(model, { IpProtocol: 'udp', FromPort: 22, ToPort: 22 }, 22)).toEqual({
      known: true,
      value: 'no',
    });
    expect(opensTcpPort(model, { IpProtocol: { Ref: 'Protocol' }, FromPort: 22, ToPort: 22 }, 22)).toEqual({
      known: true,
      value: 'port',
    });
    expect(opensTcpPort(model, { IpProtocol: { Ref: 'Anything' } }, 22).known).toBe(false);
  });

  test('cidrValues follows a VPC CidrBlock; isWorld recognizes /0', () => {
    expect(cidrValues(model, { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] })).toEqual({ known: true, value: ['10.0.0.0/16'] });
    expect(cidrValues(model, { 'Fn::If': ['C', '0.0.0.0/0', '::/0'] })).toEqual({
      known: true,
      value: ['0.0.0.0/0', '::/0'],
    });
    expect([isWorld('0.0.0.0/0'), isWorld('::/0'), isWorld('10.0.0.0/8')]).toEqual([true, true, false]);
  });

  test('groupsNamed splits groups of the template from other sources', () => {
    expect(groupsNamed(model, { 'Fn::If': ['C', { Ref: 'Other' }, 'sg-123'] })).toEqual({
      groups: ['Other'],
      other: ['sg-123'],
    });
  });
});
