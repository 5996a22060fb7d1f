import { AddonVersionPinned } from '../../../../nag-rules/rules/cluster/addon-version-pinned';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const addon = (version: unknown, parameters: Record<string, unknown> = {}) =>
  templateOf(
    {
      A: {
        Type: 'AWS::EKS::Addon',
        Properties: {
          AddonName: 'coredns',
          ClusterName: 'c',
          ...(version === undefined ? {} : { AddonVersion: version }),
        },
      },
    },
    { Parameters: parameters },
  );

describe('CLU-8 AddonVersionPinned', () => {
  test('compliant: a literal, a mapping lookup, or a parameter with AllowedValues', () => {
    expect(check(AddonVersionPinned, addon('v1.12.4-eksbuild.1'), 'A').status).toBe('pass');
    expect(
      check(AddonVersionPinned, addon({ 'Fn::FindInMap': ['Versions', { Ref: 'K8s' }, 'coreDns'] }), 'A').status,
    ).toBe('pass');
    expect(
      check(
        AddonVersionPinned,
        addon({ Ref: 'V' }, { V: { Type: 'String', AllowedValues: ['v1.12.4-eksbuild.1'] } }),
        'A',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: no AddonVersion, an empty one, or one dropped by Fn::If', () => {
    expect(check(AddonVersionPinned, addon(undefined), 'A').findings).toEqual([
      { message: 'coredns has no AddonVersion: EKS installs its default version' },
    ]);
    expect(check(AddonVersionPinned, addon(''), 'A').status).toBe('fail');
    expect(
      check(AddonVersionPinned, addon({ 'Fn::If': ['Pin', 'v1', { Ref: 'AWS::NoValue' }] }), 'A').findings[0].message,
    ).toMatch(/one branch of its Fn::If/);
  });
  test('unresolved: a parameter without AllowedValues, an import', () => {
    const parameter = check(AddonVersionPinned, addon({ Ref: 'V' }, { V: { Type: 'String' } }), 'A');
    expect(parameter.findings).toEqual([unresolvedFinding(/no AllowedValues/)]);
    expect(check(AddonVersionPinned, addon({ 'Fn::ImportValue': 'V' }), 'A').findings[0]).toMatchObject({
      unresolved: true,
    });
  });
  test('the real product passes, and fails on exactly the add-on whose version is removed', () => {
    const template = productTemplate();
    const addons = idsOfType(template, 'AWS::EKS::Addon');
    expect(addons.length).toBeGreaterThanOrEqual(4);
    expect(failures(AddonVersionPinned, template)).toEqual([]);
    const coreDns = addons.find((id) => template.Resources[id].Properties.AddonName === 'coredns')!;
    delete template.Resources[coreDns].Properties.AddonVersion;
    expect(failures(AddonVersionPinned, template).map((e) => e.logicalId)).toEqual([coreDns]);
  });
});
