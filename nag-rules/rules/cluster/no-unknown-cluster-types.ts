import { parseJsonDocument, renderText } from '../../core/intrinsics';
import {
  CLUSTER_TYPES,
  HELM_CHART_TYPES,
  KUBERNETES_PATCH_TYPES,
  KUBERNETES_RESOURCE_TYPES,
} from '../../core/kubernetes-objects';
import { COMPLIANT, EVERY_RESOURCE_TYPE, NOT_APPLICABLE, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** Custom resource types of CDK's EKS modules that the pack reads (or that only carry plumbing). */
const UNDERSTOOD_CUSTOM_TYPES = [
  ...CLUSTER_TYPES,
  ...KUBERNETES_RESOURCE_TYPES,
  ...HELM_CHART_TYPES,
  ...KUBERNETES_PATCH_TYPES,
  'Custom::AWSCDK-EKS-KubernetesObjectValue',
  'Custom::AWSCDKCfnJson',
  'Custom::AWSCDKOpenIdConnectProvider',
  'Custom::VpcRestrictDefaultSG',
];
/** A type name that says it makes or configures a cluster. */
const CLUSTER_LIKE_TYPE = /eks|kubernetes|k8s|kubectl|helm|cluster|karpenter|nodegroup/i;
/** Properties that only a cluster or a cluster's configuration has. */
const CLUSTER_LIKE_PROPERTIES = [
  'ResourcesVpcConfig',
  'KubernetesNetworkConfig',
  'KubernetesVersion',
  'AccessConfig',
  'EncryptionConfig',
  'ClusterName',
  'ClusterID',
  'ClusterId',
  'KubeConfig',
  'Kubeconfig',
  'KubeConfigPath',
  'Manifest',
  'Chart',
  'Nodegroups',
  'NodeGroups',
  'ClusterRoleArn',
];
/** AWS SDK calls that make or change a cluster, through CDK's AwsCustomResource (`Custom::AWS`). */
const CLUSTER_SERVICES = /^(@aws-sdk\/client-)?eks$/i;

/** CLU-11: no resource of a type the pack does not understand makes or configures a cluster. */
export const NoUnknownClusterTypes: ThreatModelRule = {
  controlId: 'CLU-11',
  threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'PV-8'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No resource of a registry extension type (e.g. AWSQS::EKS::Cluster, AWSQS::Kubernetes::Resource) or of a custom ' +
    'resource type the pack does not read has a cluster-like type name or cluster-like properties, and no AwsCustomResource ' +
    'calls the EKS API',
  explanation:
    'The pack judges the EKS resources it knows. A cluster made by a third-party registry type or configured by a ' +
    'custom resource carries no property the rules can read, so a template built that way would pass every rule with ' +
    'nothing checked (PV-8): nothing may pass silently. Such a resource is a finding that names it; describe the cluster with ' +
    'AWS::EKS::* resources, or exempt it after review.',
  resourceTypes: [EVERY_RESOURCE_TYPE],
  evaluate({ resource, properties }) {
    const type = resource.Type;
    if (UNDERSTOOD_CUSTOM_TYPES.includes(type)) return NOT_APPLICABLE;
    if (type === 'Custom::AWS') {
      const calls = ['Create', 'Update', 'Delete']
        .filter((k) => properties[k] !== undefined)
        .map((k) => parseJsonDocument(properties[k]))
        .map((parsed) => (parsed.ok ? parsed.value : undefined));
      const eks = calls.filter(isObject).filter((c) => CLUSTER_SERVICES.test(renderText(c.service) ?? ''));
      if (eks.length === 0) {
        return calls.some((c) => !isObject(c))
          ? [
              unresolved(
                'the AWS API the AwsCustomResource calls (it may be EKS)',
                'a call that is not a JSON object at synth time',
              ),
            ]
          : COMPLIANT;
      }
      return [
        {
          message: `the AwsCustomResource calls the EKS API (${eks.map((c) => renderText(c.action)).join(', ')}): what it changes in the cluster is not checked by the pack`,
        },
      ];
    }
    const custom = type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
    if (type.startsWith('AWS::') && !custom) return NOT_APPLICABLE;
    const shape = Object.keys(properties).filter((k) => CLUSTER_LIKE_PROPERTIES.includes(k));
    const named = CLUSTER_LIKE_TYPE.test(type.replace(/^Custom::|^AWS::CloudFormation::/, ''));
    if (!named && shape.length === 0) return COMPLIANT;
    const kind = custom ? 'custom resource type' : 'registry extension type';
    const why = [named ? 'its type name' : '', shape.length ? `its properties ${shape.join(', ')}` : '']
      .filter(Boolean)
      .join(' and ');
    return [
      {
        message: `${type} is a ${kind} the pack does not understand, and ${why} say it makes or configures a cluster: none of its settings are checked`,
      },
    ];
  },
};
