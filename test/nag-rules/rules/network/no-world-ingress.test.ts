import { NoWorldIngress } from '../../../../nag-rules/rules/network/no-world-ingress';
import { check, checkSole, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { checkGroupWith, checkRuleInto } from './fixtures';
import { exactUnresolved, unresolvedFinding } from '../../rule-findings';

/** HTTPS ingress from the CIDR. */
const httpsFrom = (CidrIp: unknown) => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp });

describe('NET-1 NoWorldIngress', () => {
  test('compliant: private ranges, security-group sources, and a group with no inline ingress', () => {
    expect(checkGroupWith(NoWorldIngress, httpsFrom('10.0.0.0/8')).status).toBe('pass');
    expect(
      checkRuleInto(NoWorldIngress, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: 'sg-1' })
        .status,
    ).toBe('pass');
    expect(checkSole(NoWorldIngress, { SG: { Type: 'AWS::EC2::SecurityGroup', Properties: {} } }).status).toBe('pass');
  });
  test('non-compliant: inline 0.0.0.0/0 and a standalone ::/0', () => {
    const inline = checkGroupWith(NoWorldIngress, httpsFrom('0.0.0.0/0'));
    expect(inline.findings).toEqual([
      { message: 'SecurityGroupIngress[0] of SG admits 0.0.0.0/0 (CidrIp): anyone on the internet' },
    ]);
    const standalone = checkRuleInto(NoWorldIngress, { IpProtocol: '-1', CidrIpv6: '::/0' });
    expect(standalone.findings).toEqual([{ message: 'rule Rule admits ::/0 (CidrIpv6): anyone on the internet' }]);
  });
  test('a CIDR parameter is judged by its allowed values, and through the padded Fn::Select pattern', () => {
    const allowedValues = (values: string[]) =>
      checkRuleInto(NoWorldIngress, httpsFrom({ Ref: 'Cidr' }), {
        Parameters: { Cidr: { Type: 'String', AllowedValues: values } },
      });
    expect(allowedValues(['10.0.0.0/8']).status).toBe('pass');
    expect(allowedValues(['10.0.0.0/8', '0.0.0.0/0']).findings[0].message).toMatch(/admits 0.0.0.0\/0/);
    const padded = {
      'Fn::Select': [1, { 'Fn::Split': [',', { 'Fn::Join': ['', [{ 'Fn::Join': [',', { Ref: 'Cidrs' }] }, ',,']] }] }],
    };
    const approvedByRule = (values: string[]) =>
      checkRuleInto(NoWorldIngress, httpsFrom(padded), {
        Parameters: { Cidrs: { Type: 'CommaDelimitedList' } },
        Rules: { Approved: { Assertions: [{ Assert: { 'Fn::EachMemberIn': [{ Ref: 'Cidrs' }, values] } }] } },
      });
    expect(approvedByRule(['10.0.0.0/8']).status).toBe('pass');
    expect(approvedByRule(['0.0.0.0/0']).status).toBe('fail');
  });
  test('a VPC CIDR attribute is followed to the VPC', () => {
    const template = (cidr: string) =>
      templateOf({
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr } },
        SG: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            SecurityGroupIngress: [httpsFrom({ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] })],
          },
        },
      });
    expect(check(NoWorldIngress, template('10.0.0.0/16'), 'SG').status).toBe('pass');
    expect(check(NoWorldIngress, template('0.0.0.0/0'), 'SG').status).toBe('fail');
  });
  test('unresolved: an unconstrained CIDR parameter, an imported CIDR, a prefix list outside the template', () => {
    const parameter = checkRuleInto(
      NoWorldIngress,
      { IpProtocol: 'tcp', CidrIp: { Ref: 'Cidr' } },
      { Parameters: { Cidr: { Type: 'String' } } },
    );
    expect(parameter.findings).toEqual([
      exactUnresolved('CidrIp of rule Rule', "parameter 'Cidr' (no AllowedValues or template rule limits it)"),
    ]);
    expect(
      checkGroupWith(NoWorldIngress, { IpProtocol: 'tcp', CidrIp: { 'Fn::ImportValue': 'x' } }).findings[0],
    ).toEqual(unresolvedFinding());
    expect(checkRuleInto(NoWorldIngress, { IpProtocol: 'tcp', SourcePrefixListId: 'pl-123' }).findings[0]).toEqual(
      unresolvedFinding(),
    );
  });
  test('the real product passes (corporate CIDRs limited by a template rule, endpoint group from the VPC CIDR)', () => {
    expect(failures(NoWorldIngress, productTemplate())).toEqual([]);
  });
  test('the real product fails once a 0.0.0.0/0 rule is added to the node group or the approved corporate ranges include it', () => {
    const template = productTemplate();
    const nodes = productIdOf(template, 'AWS::EC2::SecurityGroup', 'SecurityGroupsNodes');
    template.Resources[nodes].Properties.SecurityGroupIngress = [
      { IpProtocol: 'tcp', FromPort: 30000, ToPort: 32767, CidrIp: '0.0.0.0/0' },
    ];
    expect(failures(NoWorldIngress, template).map((e) => e.logicalId)).toEqual([nodes]);

    const widened = productTemplate();
    for (const rule of Object.values(widened.Rules as Record<string, any>)) {
      for (const assertion of rule.Assertions)
        if (assertion.Assert['Fn::EachMemberIn']) assertion.Assert['Fn::EachMemberIn'][1].push('0.0.0.0/0');
    }
    const corporate = Object.keys(widened.Resources)
      .filter((id) => id.startsWith('SecurityGroupsCorporateApiAccess'))
      .sort();
    expect(corporate.length).toBe(2);
    expect(
      failures(NoWorldIngress, widened)
        .map((e) => e.logicalId)
        .sort(),
    ).toEqual(corporate);
  });
});
