import { SUPPORTED_KUBERNETES_VERSIONS as PRODUCT_VERSIONS } from '../../../../products/hardened-eks/settings';
import {
  KubernetesVersionSupported,
  SUPPORTED_KUBERNETES_VERSIONS,
} from '../../../../nag-rules/rules/cluster/kubernetes-version-supported';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const cluster = (version: unknown, parameters: Record<string, unknown> = {}) =>
  templateOf(
    { C: { Type: 'AWS::EKS::Cluster', Properties: version === undefined ? {} : { Version: version } } },
    { Parameters: parameters },
  );

describe('CLU-5 KubernetesVersionSupported', () => {
  test('the supported list covers every version the product can offer', () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(expect.arrayContaining([...PRODUCT_VERSIONS]));
  });
  test('compliant: a supported literal, or a parameter limited to supported versions', () => {
    expect(check(KubernetesVersionSupported, cluster('1.36'), 'C').status).toBe('pass');
    expect(check(KubernetesVersionSupported, cluster(1.35), 'C').status).toBe('pass');
    expect(
      check(
        KubernetesVersionSupported,
        cluster({ Ref: 'V' }, { V: { Type: 'String', AllowedValues: ['1.35', '1.36'] } }),
        'C',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: an unsupported literal, a parameter allowing one, or no Version', () => {
    expect(check(KubernetesVersionSupported, cluster('1.24'), 'C').findings[0].message).toMatch(
      /1\.24 is not in the supported list/,
    );
    const parameter = check(
      KubernetesVersionSupported,
      cluster({ Ref: 'V' }, { V: { Type: 'String', AllowedValues: ['1.29', '1.36'] } }),
      'C',
    );
    expect(parameter.findings).toEqual([{ message: expect.stringMatching(/^Kubernetes version 1\.29 is not/) }]);
    expect(check(KubernetesVersionSupported, cluster(undefined), 'C').findings[0].message).toMatch(/no Version/);
  });
  test('unresolved: a parameter without AllowedValues', () => {
    const result = check(KubernetesVersionSupported, cluster({ Ref: 'V' }, { V: { Type: 'String' } }), 'C');
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toEqual(unresolvedFinding());
  });
  test('aws-eks v1 custom resource: Config.version', () => {
    const v1 = (version: string) =>
      templateOf({ C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { version } } } });
    expect(check(KubernetesVersionSupported, v1('1.34'), 'C').status).toBe('pass');
    expect(check(KubernetesVersionSupported, v1('1.21'), 'C').status).toBe('fail');
  });
  test('the real product passes, and fails on its cluster once the version parameter allows 1.28', () => {
    const template = productTemplate();
    expect(failures(KubernetesVersionSupported, template)).toEqual([]);
    const [id] = idsOfType(template, 'AWS::EKS::Cluster');
    const parameter = template.Resources[id].Properties.Version.Ref;
    template.Parameters[parameter].AllowedValues.push('1.28');
    const failed = failures(KubernetesVersionSupported, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/1\.28/);
  });
});
