import { FargateProfiles } from '../../../../nag-rules/rules/nodes/fargate-profiles';
import { KarpenterNodeClasses } from '../../../../nag-rules/rules/nodes/karpenter-node-classes';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { exactUnresolved, messages, unresolvedFinding } from '../../rule-findings';
import { editManifest, manifest, MANIFEST_TYPE } from '../kubernetes/kubernetes-fixtures';

/** A Karpenter EC2NodeClass as hardened as the product's launch template; `spec` overrides its fields. */
function nodeClass(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'KarpenterNodeRole',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { encrypted: true, kmsKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/1' } },
      ],
      ...spec,
    },
  };
}
const applying = (manifestText: unknown): Record<string, any> =>
  templateOf({
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Karpenter: { Type: MANIFEST_TYPE, Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: manifestText } },
  });

describe('NOD-9 KarpenterNodeClasses', () => {
  test('compliant: a hardened node class; not applicable: manifests without one', () => {
    expect(check(KarpenterNodeClasses, applying(JSON.stringify([nodeClass()])), 'Karpenter').status).toBe('pass');
    expect(
      check(
        KarpenterNodeClasses,
        applying(JSON.stringify([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }])),
        'Karpenter',
      ).status,
    ).toBe('not-applicable');
  });
  test('non-compliant: IMDSv1, a public IP, an unencrypted volume, AL2, and user data that starts sshd', () => {
    const weak = nodeClass({
      metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 },
      associatePublicIPAddress: true,
      amiSelectorTerms: [{ alias: 'al2@latest' }],
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: false } }],
      userData: '#!/bin/bash\nsystemctl enable --now sshd\n',
    });
    expect(messages(check(KarpenterNodeClasses, applying(JSON.stringify([weak])), 'Karpenter'))).toEqual([
      "EC2NodeClass default allows IMDSv1 (metadataOptions.httpTokens 'optional')",
      'EC2NodeClass default sets metadataOptions.httpPutResponseHopLimit to 2, so pods reach the metadata service',
      'EC2NodeClass default associates a public IP address with its nodes (associatePublicIPAddress true)',
      'EC2NodeClass default maps volume /dev/xvda unencrypted (ebs.encrypted false)',
      'EC2NodeClass default encrypts volume /dev/xvda with the AWS managed key aws/ebs: set ebs.kmsKeyID to a customer-managed key',
      "EC2NodeClass default runs AMI family 'al2@latest', not a container-optimized OS (AL2023 or Bottlerocket)",
      'the user data of EC2NodeClass default starts or enables the SSH daemon',
    ]);
  });
  test('unresolved: a key from a template value, and a manifest whose kind is a template value', () => {
    const [before, after] = JSON.stringify([nodeClass()]).split('arn:aws:kms:eu-west-1:111122223333:key/1');
    const keyed = applying({ 'Fn::Join': ['', [before, { 'Fn::GetAtt': ['Key', 'Arn'] }, after]] });
    keyed.Resources.Key = { Type: 'AWS::KMS::Key', Properties: {} };
    const imported = applying({ 'Fn::Join': ['', [before, { 'Fn::ImportValue': 'key' }, after]] });
    expect(check(KarpenterNodeClasses, imported, 'Karpenter').findings).toEqual([unresolvedFinding()]);
    const token = applying({
      'Fn::Join': [
        '',
        ['[{"apiVersion":"karpenter.k8s.aws/v1","kind":"', { Ref: 'Kind' }, '","metadata":{"name":"x"}}]'],
      ],
    });
    expect(check(KarpenterNodeClasses, token, 'Karpenter').findings).toEqual([unresolvedFinding()]);
    expect(check(KarpenterNodeClasses, keyed, 'Karpenter').status).toBe('pass');
  });
  test('a NodePool is judged through its node class: compliant with a class of the template, unresolved with one from elsewhere', () => {
    const pool = (nodeClass: unknown) => ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'general' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClass },
            requirements: [],
          },
        },
      },
    });
    expect(
      check(KarpenterNodeClasses, applying(JSON.stringify([nodeClass(), pool('default')])), 'Karpenter').status,
    ).toBe('pass');
    expect(check(KarpenterNodeClasses, applying(JSON.stringify([pool('elsewhere')])), 'Karpenter').findings).toEqual([
      exactUnresolved('the nodes of NodePool general', 'EC2NodeClass "elsewhere", which the template does not apply'),
    ]);
    expect(
      check(
        KarpenterNodeClasses,
        applying(JSON.stringify([nodeClass({ associatePublicIPAddress: true }), pool('default')])),
        'Karpenter',
      ).status,
    ).toBe('fail');
  });
  test('the real product has no node class; one added to it with a public IP fails on the manifest that applies it', () => {
    const template = productTemplate();
    expect(failures(KarpenterNodeClasses, template)).toEqual([]);
    const [manifestId] = idsOfType(template, MANIFEST_TYPE);
    editManifest(template, manifestId, (objects) => [...objects, nodeClass({ associatePublicIPAddress: true })]);
    expect(failures(KarpenterNodeClasses, template).map((e) => e.logicalId)).toEqual([manifestId]);
  });
});

describe('NOD-10 FargateProfiles', () => {
  const withProfile = (namespace: unknown, extra: Record<string, unknown> = {}) =>
    templateOf({
      Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
      Profile: {
        Type: 'AWS::EKS::FargateProfile',
        Properties: {
          ClusterName: { Ref: 'Cluster' },
          PodExecutionRoleArn: 'arn:aws:iam::111122223333:role/pods',
          Selectors: [{ Namespace: namespace }],
        },
      },
      ...extra,
    });
  const calico = {
    Calico: {
      Type: 'Custom::AWSCDK-EKS-HelmChart',
      Properties: { ClusterName: { Ref: 'Cluster' }, Chart: 'tigera-operator', Values: '{}' },
    },
  };
  test('compliant: a profile for a namespace that needs no node control, in a cluster without Calico or the GuardDuty agent', () => {
    expect(check(FargateProfiles, withProfile('batch'), 'Profile').status).toBe('pass');
  });
  test('non-compliant: a cluster whose policy engine is Calico, or a namespace the template polices', () => {
    expect(check(FargateProfiles, withProfile('batch', calico), 'Profile').findings[0].message).toBe(
      "the profile runs pods of namespace batch on Fargate, outside Calico network policy (the cluster's policy engine does not run on Fargate); node runbooks (IR-5, IR-6) cannot reach them either",
    );
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'batch' },
      spec: { podSelector: {} },
    };
    const policed = withProfile('batch', {
      Policies: manifest([policy]),
    });
    expect(check(FargateProfiles, policed, 'Profile').findings[0].message).toMatch(
      /the NetworkPolicies the template applies in batch/,
    );
  });
  test('unresolved: a namespace from a parameter, or selectors that cannot be read', () => {
    expect(check(FargateProfiles, withProfile({ Ref: 'Namespace' }, calico), 'Profile').findings).toEqual([
      unresolvedFinding(),
    ]);
  });
  test('the real product has no Fargate profile; one added for the workloads namespace fails', () => {
    const template = productTemplate();
    expect(failures(FargateProfiles, template)).toEqual([]);
    const [cluster] = idsOfType(template, 'AWS::EKS::Cluster');
    template.Resources.WorkloadsOnFargate = {
      Type: 'AWS::EKS::FargateProfile',
      Properties: {
        ClusterName: { Ref: cluster },
        PodExecutionRoleArn: 'arn:aws:iam::111122223333:role/pods',
        Selectors: [{ Namespace: 'workloads' }],
      },
    };
    const failed = failures(FargateProfiles, template);
    expect(failed.map((e) => e.logicalId)).toEqual(['WorkloadsOnFargate']);
    expect(failed[0].findings[0].message).toMatch(
      /Calico network policy.*GuardDuty runtime monitoring.*NetworkPolicies the template applies in workloads/,
    );
  });
});
