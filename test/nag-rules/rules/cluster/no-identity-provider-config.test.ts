import { NoIdentityProviderConfig } from '../../../../nag-rules/rules/cluster/no-identity-provider-config';
import { check, checkSole, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';

const idp = (properties: unknown) => ({ Type: 'AWS::EKS::IdentityProviderConfig', Properties: properties });

describe('CLU-9 NoIdentityProviderConfig', () => {
  test('compliant: a template without identity-provider configs has nothing to judge', () => {
    expect(
      failures(NoIdentityProviderConfig, templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: {} } })),
    ).toEqual([]);
  });
  test('non-compliant: any OIDC identity-provider config, named with its issuer', () => {
    const template = templateOf({
      I: idp({
        ClusterName: { Ref: 'C' },
        Type: 'oidc',
        Oidc: { ClientId: 'kubernetes', IssuerUrl: 'https://login.example.com' },
      }),
      C: { Type: 'AWS::EKS::Cluster', Properties: {} },
    });
    const result = check(NoIdentityProviderConfig, template, 'I');
    expect(result.status).toBe('fail');
    expect(result.findings[0].message).toMatch(/https:\/\/login\.example\.com/);
  });
  test('odd input: a config without properties still fails', () => {
    expect(checkSole(NoIdentityProviderConfig, { I: idp('nonsense') }).status).toBe('fail');
  });
  test('the real product passes, and fails on an identity-provider config added to it', () => {
    const template = productTemplate();
    expect(failures(NoIdentityProviderConfig, template)).toEqual([]);
    const [clusterId] = idsOfType(template, 'AWS::EKS::Cluster');
    template.Resources.AddedIdp = idp({
      ClusterName: { Ref: clusterId },
      Type: 'oidc',
      Oidc: { ClientId: 'k8s', IssuerUrl: 'https://idp.example.com' },
    });
    expect(failures(NoIdentityProviderConfig, template).map((e) => e.logicalId)).toEqual(['AddedIdp']);
  });
});
