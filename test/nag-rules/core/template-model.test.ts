import { isObject, TemplateModel } from '../../../nag-rules/core/template-model';

describe('TemplateModel', () => {
  const model = new TemplateModel({
    Parameters: { Name: { Type: 'String' }, Broken: 'not an object' },
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
      Subnet: {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: { 'Fn::If': ['C', { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, 'vpc-1'] } },
      },
      NoType: { Properties: {} },
    },
  });

  test('indexes resources by type in template order, and drops what is not a resource', () => {
    expect([...model.resources.keys()]).toEqual(['Vpc', 'Group', 'Subnet']);
    expect(model.resourcesOfType('AWS::EC2::Subnet', 'AWS::EC2::VPC').map(([id]) => id)).toEqual(['Vpc', 'Subnet']);
    expect(model.resource('NoType')).toBeUndefined();
    expect(Object.keys(model.parameters)).toEqual(['Name']);
  });

  test('follows Ref and Fn::GetAtt to resources of the template, also inside Fn::If', () => {
    expect(model.referencedId({ Ref: 'Vpc' })).toBe('Vpc');
    expect(model.referencedId({ 'Fn::GetAtt': 'Vpc.VpcId' })).toBe('Vpc');
    expect(model.referencedId({ Ref: 'Name' })).toBeUndefined();
    expect(model.referencedIds(model.resource('Subnet')!.Properties)).toEqual(['Vpc']);
    expect(model.referrers('Vpc').map(([id]) => id)).toEqual(['Group', 'Subnet']);
    expect(model.referrers('Vpc', 'AWS::EC2::Subnet').map(([id]) => id)).toEqual(['Subnet']);
    expect(model.referrersVia('Vpc', 'VpcId', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup').map(([id]) => id)).toEqual(
      ['Group', 'Subnet'],
    );
    expect(model.referrersVia('Vpc', 'VpcId', 'AWS::EC2::VPC')).toEqual([]);
    expect(model.referrersVia('Vpc', 'CidrBlock', 'AWS::EC2::Subnet')).toEqual([]);
    expect(model.parameterOf({ Ref: 'Name' })).toBe('Name');
  });

  test('never throws on a malformed template', () => {
    for (const template of [undefined, null, 42, 'text', [], { Resources: 'x' }, { Resources: { A: null } }]) {
      expect(new TemplateModel(template).resources.size).toBe(0);
    }
    expect([isObject({}), isObject([]), isObject(null)]).toEqual([true, false, false]);
  });
});
