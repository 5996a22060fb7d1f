import { TemplateModel } from '../../../nag-rules/core/template-model';
import { isFalse, isTrue, literal, possibleValues, why } from '../../../nag-rules/core/values';

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
    expect([isTrue(true), isTrue('true'), isTrue('True'), isFalse(false), isFalse('false'), isFalse(undefined)]).toEqual([true, true, false, true, true, false]);
  });
});

describe('possibleValues', () => {
  const model = new TemplateModel({
    Parameters: { Mode: { Type: 'String', AllowedValues: ['a', 'b'] }, Free: { Type: 'String' }, Versions: { Type: 'CommaDelimitedList' } },
    Rules: { Limit: { Assertions: [{ Assert: { 'Fn::EachMemberIn': [{ Ref: 'Versions' }, ['1.30', '1.31']] } }] } },
  });

  test('literals, Fn::If branches and AllowedValues are a known set', () => {
    expect(possibleValues(model, 'x')).toEqual({ known: true, value: ['x'] });
    expect(possibleValues(model, { 'Fn::If': ['C', 'x', { Ref: 'Mode' }] })).toEqual({ known: true, value: ['x', 'a', 'b'] });
  });

  test('a list parameter limited by a template rule, through Fn::Select', () => {
    expect(possibleValues(model, { 'Fn::Select': [0, { Ref: 'Versions' }] })).toEqual({ known: true, value: ['1.30', '1.31'] });
  });

  test('a free parameter is unknown, and says so', () => {
    expect(possibleValues(model, { Ref: 'Free' })).toEqual({ known: false, because: "parameter 'Free' (no AllowedValues or template rule limits it)" });
  });
});
