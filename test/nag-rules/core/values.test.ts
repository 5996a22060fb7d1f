import { TemplateModel } from '../../../nag-rules/core/template-model';
import {
  conditionOutcomes,
  isFalse,
  isTrue,
  literal,
  possibleValues,
  shown,
  why,
} from '../../../nag-rules/core/values';
import { NoWorldIngress } from '../../../nag-rules/rules/network/no-world-ingress';
import { check, failures, idsOfType, productTemplate } from '../rule-harness';
import { ruleInto } from '../rules/network/fixtures';

describe('literal and why', () => {
  test('a literal is known; an intrinsic says what it depends on', () => {
    expect(literal('x')).toEqual({ known: true, value: 'x' });
    expect(literal(undefined)).toEqual({ known: true, value: undefined });
    expect(literal({ 'Fn::If': ['C', 3, 3] })).toEqual({ known: true, value: 3 });
    expect(literal({ Ref: 'Version' })).toEqual({ known: false, because: "parameter or resource 'Version'" });
    expect(literal({ 'Fn::ImportValue': 'Shared' })).toEqual({ known: false, because: 'an imported value' });
  });

  test('why names a literal as JSON and an intrinsic by what it depends on', () => {
    expect(why('x')).toBe('"x"');
    expect(why({ Ref: 'Version' })).toBe("parameter or resource 'Version'");
    expect(why({ 'Fn::If': ['C', 'a', 'a'] })).toBe('"a"');
  });

  test('CloudFormation booleans', () => {
    expect([
      isTrue(true),
      isTrue('true'),
      isTrue('True'),
      isFalse(false),
      isFalse('false'),
      isFalse(undefined),
    ]).toEqual([true, true, false, true, true, false]);
  });
});

describe('possibleValues', () => {
  const model = new TemplateModel({
    Parameters: {
      Mode: { Type: 'String', AllowedValues: ['a', 'b'] },
      Free: { Type: 'String' },
      Versions: { Type: 'CommaDelimitedList' },
    },
    Rules: { Limit: { Assertions: [{ Assert: { 'Fn::EachMemberIn': [{ Ref: 'Versions' }, ['1.30', '1.31']] } }] } },
  });

  test('literals, Fn::If branches and AllowedValues are a known set', () => {
    expect(possibleValues(model, 'x')).toEqual({ known: true, value: ['x'] });
    expect(possibleValues(model, { 'Fn::If': ['C', 'x', { Ref: 'Mode' }] })).toEqual({
      known: true,
      value: ['x', 'a', 'b'],
    });
  });

  test('a list parameter limited by a template rule, through Fn::Select', () => {
    expect(possibleValues(model, { 'Fn::Select': [0, { Ref: 'Versions' }] })).toEqual({
      known: true,
      value: ['1.30', '1.31'],
    });
  });

  test('a free parameter is unknown, and says so', () => {
    expect(possibleValues(model, { Ref: 'Free' })).toEqual({
      known: false,
      because: "parameter 'Free' (no AllowedValues or template rule limits it)",
    });
  });
});

const model = (extra: Record<string, unknown> = {}) => new TemplateModel({ Resources: {}, ...extra });

describe('values folded from intrinsics', () => {
  test('Fn::Join, Fn::Sub and Fn::Select of literals are literals, and say how they were spelled', () => {
    expect(literal({ 'Fn::Join': ['', ['0.0.0.', '0/0']] })).toEqual({
      known: true,
      value: '0.0.0.0/0',
      via: 'Fn::Join',
    });
    expect(literal({ 'Fn::Sub': ['${A}.0.0.0/${B}', { A: '0', B: 0 }] })).toEqual({
      known: true,
      value: '0.0.0.0/0',
      via: 'Fn::Sub',
    });
    expect(literal({ 'Fn::Sub': 'no-${!Literal}-here' })).toEqual({
      known: true,
      value: 'no-${Literal}-here',
      via: 'Fn::Sub',
    });
    expect(literal({ 'Fn::Select': ['1', ['a', { 'Fn::Join': ['-', ['b', 'c']] }]] })).toEqual({
      known: true,
      value: 'b-c',
      via: 'Fn::Select',
    });
    expect(shown('0.0.0.0/0', { 'Fn::Join': ['', ['0.0.0.', '0/0']] })).toBe("'0.0.0.0/0' via Fn::Join");
    expect(shown('ops', { Ref: 'KeyName' })).toBe("'ops' via parameter KeyName");
  });
  test('deploy-time values stay unknown: pseudo parameters, resources, imports', () => {
    expect(literal({ 'Fn::Sub': '${AWS::Region}-x' }).known).toBe(false);
    expect(literal({ 'Fn::Join': ['', ['a', { Ref: 'Thing' }]] }).known).toBe(false);
    expect(possibleValues(model(), { 'Fn::Join': ['', ['a', { 'Fn::ImportValue': 'x' }]] }).known).toBe(false);
    expect(
      possibleValues(model({ Parameters: { P: { Type: 'String', Default: '0.0.0.0/0' } } }), { Ref: 'P' }).known,
    ).toBe(false);
  });
  test('joins and subs of parameters with allowed values take every combination', () => {
    const m = model({ Parameters: { Octet: { Type: 'String', AllowedValues: ['10', '0'] } } });
    expect(possibleValues(m, { 'Fn::Join': ['.', [{ Ref: 'Octet' }, '0.0.0/8']] })).toEqual({
      known: true,
      value: ['10.0.0.0/8', '0.0.0.0/8'],
    });
    expect(possibleValues(m, { 'Fn::Sub': '${Octet}.0.0.0/0' })).toEqual({
      known: true,
      value: ['10.0.0.0/0', '0.0.0.0/0'],
    });
  });
  test('Fn::FindInMap looks every possible key up in the Mappings', () => {
    const m = model({
      Parameters: { Env: { Type: 'String', AllowedValues: ['dev', 'prod'] } },
      Mappings: { Cidrs: { dev: { ingress: '0.0.0.0/0' }, prod: { ingress: '10.0.0.0/8' } } },
    });
    expect(possibleValues(m, { 'Fn::FindInMap': ['Cidrs', { Ref: 'Env' }, 'ingress'] })).toEqual({
      known: true,
      value: ['0.0.0.0/0', '10.0.0.0/8'],
    });
    expect(possibleValues(m, { 'Fn::FindInMap': ['Missing', 'dev', 'ingress'] }).known).toBe(false);
  });
  test('Fn::If prunes a branch its condition can never take', () => {
    const m = model({
      Parameters: { Mode: { Type: 'String', AllowedValues: ['private'] }, Free: { Type: 'String' } },
      Conditions: {
        Open: { 'Fn::Equals': [{ Ref: 'Mode' }, 'public'] },
        Maybe: { 'Fn::Equals': [{ Ref: 'Free' }, 'x'] },
        NotOpen: { 'Fn::Not': [{ Condition: 'Open' }] },
      },
    });
    expect([...conditionOutcomes(m, { Condition: 'Open' })]).toEqual([false]);
    expect([...conditionOutcomes(m, { Condition: 'NotOpen' })]).toEqual([true]);
    expect([...conditionOutcomes(m, { Condition: 'Maybe' })].sort()).toEqual([false, true]);
    expect(possibleValues(m, { 'Fn::If': ['Open', '0.0.0.0/0', '10.0.0.0/8'] })).toEqual({
      known: true,
      value: ['10.0.0.0/8'],
    });
    expect(possibleValues(m, { 'Fn::If': ['Maybe', '0.0.0.0/0', '10.0.0.0/8'] })).toEqual({
      known: true,
      value: ['0.0.0.0/0', '10.0.0.0/8'],
    });
  });
  test('NET-1 names the effective value and how it was spelled; an unconstrained part stays unresolved', () => {
    const joined = check(
      NoWorldIngress,
      ruleInto({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: { 'Fn::Join': ['', ['0.0.0.', '0/0']] } }),
      'Rule',
    );
    expect(joined.findings).toEqual([
      { message: 'rule Rule admits 0.0.0.0/0 via Fn::Join (CidrIp): anyone on the internet' },
    ]);
    const mapped = check(
      NoWorldIngress,
      ruleInto(
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: { 'Fn::FindInMap': ['M', 'a', 'b'] } },
        { Mappings: { M: { a: { b: '::/0' } } } },
      ),
      'Rule',
    );
    expect(mapped.findings[0].message).toBe('rule Rule admits ::/0 via Fn::FindInMap (CidrIp): anyone on the internet');
    const open = check(
      NoWorldIngress,
      ruleInto({ IpProtocol: 'tcp', CidrIp: { 'Fn::Sub': '${Cidr}' } }, { Parameters: { Cidr: { Type: 'String' } } }),
      'Rule',
    );
    expect(open.findings.map((f) => f.unresolved)).toEqual([true]);
  });
  test('the real product passes NET-1, and fails on the weakened group when a CIDR is spelled with Fn::Join', () => {
    const template = productTemplate();
    expect(failures(NoWorldIngress, template)).toEqual([]);
    const [id] = [
      ...idsOfType(template, 'AWS::EC2::SecurityGroupIngress', (r) => r.Properties.CidrIp !== undefined),
      ...idsOfType(template, 'AWS::EC2::SecurityGroupIngress'),
    ];
    delete template.Resources[id].Properties.SourceSecurityGroupId;
    template.Resources[id].Properties.CidrIp = { 'Fn::Join': ['/', ['0.0.0.0', '0']] };
    const failed = failures(NoWorldIngress, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/admits 0\.0\.0\.0\/0 via Fn::Join/);
  });
});
