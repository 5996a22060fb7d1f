import { LaunchParametersConstrained } from '../../../../nag-rules/rules/cluster/launch-parameters-constrained';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messages } from '../../rule-findings';

const withParameters = (parameters: Record<string, unknown>, rules: Record<string, unknown> = {}) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: {} } }, { Parameters: parameters, Rules: rules });

describe('CLU-10 LaunchParametersConstrained', () => {
  test('compliant: every kind of parameter constrained', () => {
    const template = withParameters(
      {
        Name: { Type: 'String', AllowedPattern: '^[a-z]{1,20}$' },
        Mode: { Type: 'String', AllowedValues: ['a', 'b'] },
        Size: { Type: 'Number', MinValue: 1, MaxValue: 10 },
        Cidrs: { Type: 'CommaDelimitedList' },
        Vpc: { Type: 'AWS::EC2::VPC::Id' },
        Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
        Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' },
      },
      { Approved: { Assertions: [{ Assert: { 'Fn::EachMemberIn': [{ Ref: 'Cidrs' }, ['10.0.0.0/8']] } }] } },
    );
    expect(check(LaunchParametersConstrained, template, 'C').status).toBe('pass');
  });
  test('non-compliant: each unconstrained parameter is named', () => {
    const result = check(
      LaunchParametersConstrained,
      withParameters({
        Free: { Type: 'String' },
        Anything: { Type: 'String', AllowedPattern: '.*' },
        Half: { Type: 'Number', MinValue: 1 },
        List: { Type: 'CommaDelimitedList' },
        Ssm: { Type: 'AWS::SSM::Parameter::Value<String>' },
        Odd: { Type: 'Strange' },
      }),
      'C',
    );
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "parameter 'Free' (String) has neither AllowedPattern nor AllowedValues",
      'parameter \'Anything\' (String) has neither AllowedPattern nor AllowedValues (AllowedPattern ".*" accepts anything)',
      "parameter 'Half' (Number) lacks MaxValue (and has no AllowedValues)",
      expect.stringMatching(/^parameter 'List' \(CommaDelimitedList\) is not limited by a template rule/),
      "parameter 'Ssm' (AWS::SSM::Parameter::Value<String>) has neither AllowedPattern nor AllowedValues",
      "parameter 'Odd' has type Strange, which the rule cannot judge",
    ]);
  });
  test('lists: Fn::EachMemberEquals and Fn::Contains assertions count, a mention elsewhere does not', () => {
    const equals = withParameters(
      { L: { Type: 'CommaDelimitedList' } },
      { R: { Assertions: [{ Assert: { 'Fn::EachMemberEquals': [{ Ref: 'L' }, ''] } }] } },
    );
    expect(check(LaunchParametersConstrained, equals, 'C').status).toBe('pass');
    const contains = withParameters(
      { L: { Type: 'List<String>' } },
      { R: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [{ Ref: 'L' }, ''] }] } }] } },
    );
    expect(check(LaunchParametersConstrained, contains, 'C').status).toBe('pass');
    const elsewhere = withParameters(
      { L: { Type: 'CommaDelimitedList' } },
      { R: { Assertions: [{ Assert: { 'Fn::Equals': [{ 'Fn::Join': [',', { Ref: 'L' }] }, ''] } }] } },
    );
    expect(check(LaunchParametersConstrained, elsewhere, 'C').status).toBe('fail');
  });
  test('odd input: malformed parameters and rules are judged, not thrown on', () => {
    const template = withParameters(
      { P: { Type: 42, AllowedValues: 'x', MinValue: 'abc' } },
      { R: { Assertions: 'nonsense' } },
    );
    expect(check(LaunchParametersConstrained, template, 'C').status).toBe('fail');
  });
  test('the real product passes, and fails on its cluster once a parameter loses its constraint', () => {
    const product = productTemplate();
    expect(failures(LaunchParametersConstrained, product)).toEqual([]);
    const [id] = idsOfType(product, 'AWS::EKS::Cluster');
    const noPattern = productTemplate();
    delete noPattern.Parameters.ClusterAdminRoleName.AllowedPattern;
    expect(failures(LaunchParametersConstrained, noPattern).map((e) => [e.logicalId, messages(e)])).toEqual([
      [id, ["parameter 'ClusterAdminRoleName' (String) has neither AllowedPattern nor AllowedValues"]],
    ]);
    const noRule = productTemplate();
    delete noRule.Rules.CorporateCidrsApproved;
    expect(messages(failures(LaunchParametersConstrained, noRule)[0])).toEqual([
      expect.stringMatching(/^parameter 'CorporateCidrs'/),
    ]);
  });
});
