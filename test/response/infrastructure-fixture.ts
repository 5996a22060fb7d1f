import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, CfnParameter, Fn, CfnCondition, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { HardenedCluster } from '../../lib/cluster/hardened-cluster';
import { KeyGrantGuard, ProductKeys } from '../../lib/cluster/product-keys';
import { ClusterSecurityGroups } from '../../lib/network/cluster-security-groups';
import { ProductNetwork } from '../../lib/network/product-network';
import { EvidenceBucket } from '../../lib/response/evidence-bucket';
import { KubernetesResponder } from '../../lib/response/kubernetes-responder';
import { NodeIsolationSecurityGroup } from '../../lib/response/node-isolation-security-group';
import { ADDON_VERSIONS } from '../../products/hardened-eks/addon-versions';
import { projectContext } from '../support/project-app';

export const ORGANIZATION_ID = 'o-exampleorg1';
export const RETENTION_DAYS = 400;

export interface ResponseInfrastructure {
  readonly stack: Stack;
  readonly template: Record<string, any>;
  readonly evidence: EvidenceBucket;
  readonly isolation: NodeIsolationSecurityGroup;
  readonly responder: KubernetesResponder;
  readonly network: ProductNetwork;
  readonly securityGroups: ClusterSecurityGroups;
  readonly cluster: HardenedCluster;
  readonly createVpc: CfnCondition;
}

/**
 * A stack with the product's network, security groups and cluster (the real constructs) and the three response
 * constructs wired as the product wires them: endpoint rules under the "create the VPC" condition. Synthesized
 * on a plain App with the project's context and no validation plugins; costs seconds, so call once per file.
 */
export function synthesizeResponseInfrastructure(): ResponseInfrastructure {
  const context = { ...projectContext() };
  delete context.catalog;
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'response-')), context });
  const stack = new Stack(app, 'ResponseFixture');
  const vpcMode = new CfnParameter(stack, 'VpcMode', {
    allowedValues: ['CreateVpc', 'ExistingVpc'],
    default: 'CreateVpc',
  });
  const existingVpcId = new CfnParameter(stack, 'ExistingVpcId', { default: '' });
  const existingSubnets = new CfnParameter(stack, 'ExistingPrivateSubnetIds', {
    type: 'CommaDelimitedList',
    default: '',
  });
  const createVpc = new CfnCondition(stack, 'CreateVpc', {
    expression: Fn.conditionEquals(vpcMode.valueAsString, 'CreateVpc'),
  });

  const keys = new ProductKeys(stack, 'Keys');
  const network = new ProductNetwork(stack, 'Network', {
    createVpc,
    existingVpcId: existingVpcId.valueAsString,
    existingPrivateSubnetIds: existingSubnets.valueAsList,
    vpcCidr: '10.0.0.0/16',
    availabilityZones: 2,
    privateSubnetPrefix: 20,
    natGateways: false,
    organizationId: ORGANIZATION_ID,
    logKey: keys.logs,
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  const securityGroups = new ClusterSecurityGroups(stack, 'SecurityGroups', { vpc: network.vpc, corporateCidrs: [] });
  const cluster = new HardenedCluster(stack, 'HardenedCluster', {
    clusterName: 'fixture',
    version: '1.36',
    vpc: network.vpc,
    subnets: { subnets: network.vpc.privateSubnets },
    securityGroup: securityGroups.controlPlane,
    kubectlHandlerSecurityGroup: securityGroups.kubectlHandler,
    logKey: keys.logs,
    logRetention: logs.RetentionDays.ONE_YEAR,
    addonVersions: { '1.36': ADDON_VERSIONS['1.36'] },
  });

  const evidence = new EvidenceBucket(stack, 'Evidence', {
    retentionDays: RETENTION_DAYS,
    organizationId: ORGANIZATION_ID,
  });
  const isolation = new NodeIsolationSecurityGroup(stack, 'NodeIsolation', {
    vpc: network.vpc,
    endpointSecurityGroup: network.endpointSecurityGroup,
    endpointCondition: createVpc,
  });
  const responder = new KubernetesResponder(stack, 'Responder', {
    cluster: cluster.cluster,
    vpc: network.vpc,
    subnets: { subnets: network.vpc.privateSubnets },
    controlPlaneSecurityGroup: securityGroups.controlPlane,
    endpointSecurityGroup: network.endpointSecurityGroup,
    endpointCondition: createVpc,
    logKey: keys.logs,
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  Aspects.of(stack).add(new KeyGrantGuard());

  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  return { stack, template, evidence, isolation, responder, network, securityGroups, cluster, createVpc };
}
