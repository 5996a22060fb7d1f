import { Aws, CfnCondition, Fn } from 'aws-cdk-lib';
import { PRODUCT_TAG_KEY } from '../../../lib/detection/product-config-rules';
import { restrictToolUploads } from '../../../lib/registry/tool-publishers';
import { EvidenceBucket, TOOLS_PREFIX } from '../../../lib/response/evidence-bucket';
import { IncidentResponseRunbooks } from '../../../lib/response/incident-response-runbooks';
import { KubernetesResponder } from '../../../lib/response/kubernetes-responder';
import { NodeIsolationSecurityGroup } from '../../../lib/response/node-isolation-security-group';
import { PRODUCT_IAM_PATH } from '../product-iam-path';
import { ClusterPart } from './cluster-part';
import { NetworkPart } from './network-part';
import { HardenedEksProductContext } from './product-context';
import { RegistryPart } from './registry-part';

/** Incident response (CC-REM, IR-1..IR-6): in-VPC responder, isolation group, evidence bucket, runbooks. */
export class IncidentResponsePart {
  readonly responder: KubernetesResponder;
  readonly isolation: NodeIsolationSecurityGroup;
  readonly evidence: EvidenceBucket;
  readonly runbooks: IncidentResponseRunbooks;

  constructor(context: HardenedEksProductContext) {
    const { stack, parameters, keys } = context;
    const { incidentResponse } = context.settings;
    const network = context.part(NetworkPart);
    const cluster = context.part(ClusterPart).cluster;
    const endpoints = {
      endpointSecurityGroup: network.network.endpointSecurityGroup,
      endpointCondition: parameters.createVpc,
    };
    const existingVpc = new CfnCondition(stack, 'ExistingVpc', { expression: Fn.conditionNot(parameters.createVpc) });
    this.responder = new KubernetesResponder(stack, 'KubernetesResponder', {
      cluster,
      vpc: network.vpc,
      subnets: network.privateSubnets,
      controlPlaneSecurityGroup: network.securityGroups.controlPlane,
      ...endpoints,
      existingVpcCondition: existingVpc,
      logKey: keys.logs,
      logRetention: context.logRetention,
    });
    this.isolation = new NodeIsolationSecurityGroup(stack, 'NodeIsolation', { vpc: network.vpc, ...endpoints });
    this.evidence = new EvidenceBucket(stack, 'Evidence', {
      retentionDays: incidentResponse.evidenceRetentionDays,
      organizationId: context.organizationId,
    });
    // AVML runs as root on the nodes: only the platform's publishers put it under tools/ (REM-6).
    restrictToolUploads(this.evidence.bucket, TOOLS_PREFIX, context.part(RegistryPart).toolPublishers);
    this.runbooks = new IncidentResponseRunbooks(stack, 'IncidentResponse', {
      clusterName: cluster.clusterName,
      vpc: network.vpc,
      responderFunction: this.responder.function,
      isolationSecurityGroup: this.isolation.securityGroup,
      evidenceBucket: this.evidence.bucket,
      evidenceKey: this.evidence.key,
      avmlSha256: incidentResponse.avmlSha256,
      evidenceRetentionDays: incidentResponse.evidenceRetentionDays,
      logKey: keys.logs,
      logRetention: context.logRetention,
      revocableRoleArns: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${incidentResponse.workloadRolePath}*`],
      // Every launch's roles share the product's path: only this launch's (by its tag) are revocable from here.
      launchRoles: {
        arnPattern: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${PRODUCT_IAM_PATH}*`,
        tagKey: PRODUCT_TAG_KEY,
        tagValue: parameters.clusterName.valueAsString,
      },
    });
  }
}
