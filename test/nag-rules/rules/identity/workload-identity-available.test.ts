import { WorkloadIdentityAvailable } from '../../../../nag-rules/rules/identity/workload-identity-available';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

const oidc = (url: unknown, clients: unknown = ['sts.amazonaws.com']) => ({
  Type: 'AWS::IAM::OIDCProvider',
  Properties: { Url: url, ClientIdList: clients },
});
const agent = (name: unknown = 'eks-pod-identity-agent') => ({
  Type: 'AWS::EKS::Addon',
  Properties: { AddonName: name, ClusterName: { Ref: 'C' } },
});
const issuer = { 'Fn::GetAtt': ['C', 'OpenIdConnectIssuerUrl'] };
const template = (resources: Record<string, unknown>) =>
  templateOf({
    C: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Other: { Type: 'AWS::EKS::Cluster', Properties: {} },
    ...resources,
  });

describe('IDN-7 WorkloadIdentityAvailable', () => {
  test("compliant: the cluster's OIDC provider and the Pod Identity agent", () => {
    expect(check(WorkloadIdentityAvailable, template({ O: oidc(issuer), A: agent() }), 'C').status).toBe('pass');
  });
  test('compliant: aws-eks v1 (custom OIDC provider resource, custom cluster)', () => {
    const v1 = templateOf({
      C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { name: 'prod' } } },
      O: {
        Type: 'Custom::AWSCDKOpenIdConnectProvider',
        Properties: { Url: { 'Fn::GetAtt': ['C', 'OpenIdConnectIssuerUrl'] }, ClientIDList: ['sts.amazonaws.com'] },
      },
      A: { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'eks-pod-identity-agent', ClusterName: { Ref: 'C' } } },
    });
    expect(check(WorkloadIdentityAvailable, v1, 'C').status).toBe('pass');
  });
  test('non-compliant: no OIDC provider, or one of another cluster; no agent, or the agent of another cluster', () => {
    expect(messageLines(check(WorkloadIdentityAvailable, template({ A: agent() }), 'C'))).toMatch(/IRSA cannot work/);
    expect(
      check(
        WorkloadIdentityAvailable,
        template({ O: oidc({ 'Fn::GetAtt': ['Other', 'OpenIdConnectIssuerUrl'] }), A: agent() }),
        'C',
      ).status,
    ).toBe('fail');
    expect(messageLines(check(WorkloadIdentityAvailable, template({ O: oidc(issuer) }), 'C'))).toMatch(
      /no eks-pod-identity-agent add-on/,
    );
    const otherAgent = {
      Type: 'AWS::EKS::Addon',
      Properties: { AddonName: 'eks-pod-identity-agent', ClusterName: { Ref: 'Other' } },
    };
    expect(check(WorkloadIdentityAvailable, template({ O: oidc(issuer), A: otherAgent }), 'C').status).toBe('fail');
  });
  test('non-compliant: the provider does not accept the STS audience', () => {
    expect(
      messageLines(check(WorkloadIdentityAvailable, template({ O: oidc(issuer, ['kubernetes']), A: agent() }), 'C')),
    ).toMatch(/does not list sts\.amazonaws\.com/);
  });
  test('unresolved: an add-on name or client list that is not a literal', () => {
    expect(
      check(WorkloadIdentityAvailable, template({ O: oidc(issuer), A: agent({ Ref: 'Name' }) }), 'C').findings,
    ).toEqual([unresolvedFinding()]);
    expect(
      check(WorkloadIdentityAvailable, template({ O: oidc(issuer, { Ref: 'Clients' }), A: agent() }), 'C').findings,
    ).toEqual([unresolvedFinding()]);
  });
  test('the real product passes, and fails on its cluster without the OIDC provider or the agent', () => {
    const product = productTemplate();
    expect(failures(WorkloadIdentityAvailable, product)).toEqual([]);
    const [clusterId] = idsOfType(product, 'AWS::EKS::Cluster');
    const noProvider = productTemplate();
    idsOfType(noProvider, 'AWS::IAM::OIDCProvider').forEach((id) => {
      delete noProvider.Resources[id];
    });
    expect(failures(WorkloadIdentityAvailable, noProvider).map((e) => e.logicalId)).toEqual([clusterId]);
    const noAgent = productTemplate();
    const agentId = idsOfType(noAgent, 'AWS::EKS::Addon').find(
      (id) => noAgent.Resources[id].Properties.AddonName === 'eks-pod-identity-agent',
    )!;
    delete noAgent.Resources[agentId];
    const failed = failures(WorkloadIdentityAvailable, noAgent);
    expect(failed.map((e) => e.logicalId)).toEqual([clusterId]);
    expect(failed[0].findings[0].message).toMatch(/no eks-pod-identity-agent add-on/);
  });
});
