import { Aspects, Aws, CfnOutput, Fn, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { HardenedCluster } from '../../lib/cluster/hardened-cluster';
import { KeyGrantGuard, ProductKeys } from '../../lib/cluster/product-keys';
import { roleBoundaryArn } from '../../lib/identity/product-role-boundary';
import { PRODUCT_TAG_KEY } from '../../lib/detection/product-config-rules';
import { ClusterSecurityGroups } from '../../lib/network/cluster-security-groups';
import { HardenedNodeGroup } from '../../lib/nodes/hardened-node-group';
import { ProductParameters } from './parameters';
import { ClusterPart } from './parts/cluster-part';
import { DetectionPart } from './parts/detection-part';
import { IdentityPart } from './parts/identity-part';
import { IncidentResponsePart } from './parts/incident-response-part';
import { KubernetesBaselinePart } from './parts/kubernetes-baseline-part';
import { NetworkPart } from './parts/network-part';
import { NodesPart } from './parts/nodes-part';
import { PrivilegedFunctionsPart } from './parts/privileged-functions-part';
import { HardenedEksProductContext } from './parts/product-context';
import { RegistryPart } from './parts/registry-part';
import { HARDENED_EKS_ROLE_BOUNDARY, IamPath, PRODUCT_IAM_PATH } from './product-iam-path';
import { HardenedEksSettings } from './settings';

export interface HardenedEksProductStackProps extends servicecatalog.ProductStackProps {
  readonly settings: HardenedEksSettings;
  readonly organizationId: string;
  /** Name of the Service Catalog launch role, which the admin-API guardrail lets deploy clusters. */
  readonly launchRoleName: string;
}

/**
 * The hardened EKS product: one template with every preventive control of the threat model in place, built from the
 * product's area parts (`parts/`). The parts are built in this order, each after the parts it needs, and their
 * constructs sit directly in this stack: the order and the IDs are those of the released templates.
 */
export class HardenedEksProductStack extends servicecatalog.ProductStack {
  readonly parameters: ProductParameters;
  readonly cluster: HardenedCluster;
  readonly securityGroups: ClusterSecurityGroups;
  readonly nodeGroup: HardenedNodeGroup;

  constructor(scope: Construct, id: string, props: HardenedEksProductStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.parameters = new ProductParameters(this, 'Parameters', settings);
    const context = new HardenedEksProductContext(this, {
      settings,
      parameters: this.parameters,
      organizationId: props.organizationId,
      launchRoleName: props.launchRoleName,
      keys: new ProductKeys(this, 'Keys'),
    });
    const network = context.add(NetworkPart);
    const { hardenedCluster, cluster } = context.add(ClusterPart);
    const identity = context.add(IdentityPart);
    const nodes = context.add(NodesPart);
    context.add(KubernetesBaselinePart);
    const registry = context.add(RegistryPart);
    const detection = context.add(DetectionPart);
    const incidentResponse = context.add(IncidentResponsePart);
    const privilegedFunctions = context.add(PrivilegedFunctionsPart);
    this.cluster = hardenedCluster;
    this.securityGroups = network.securityGroups;
    this.nodeGroup = nodes.nodeGroup;

    // Config rules find the product's security groups, repositories and topics by this tag. Its value is the
    // parameter, not the cluster's Ref: resources the cluster depends on carry it too.
    Tags.of(this).add(PRODUCT_TAG_KEY, this.parameters.clusterName.valueAsString);
    // Every role of the product, CDK's own provider roles included, is capped by the boundary the launch role requires.
    iam.PermissionsBoundary.of(this).apply(
      iam.ManagedPolicy.fromManagedPolicyArn(this, 'RoleBoundary', roleBoundaryArn(HARDENED_EKS_ROLE_BOUNDARY)),
    );
    Aspects.of(this).add(new IamPath(PRODUCT_IAM_PATH));
    Aspects.of(this).add(new KeyGrantGuard());

    const { detection: detectionSettings } = settings;
    const { evidence, runbooks } = incidentResponse;
    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description }).overrideLogicalId(name);
    output('ClusterName', cluster.clusterName, 'EKS cluster name');
    output('ClusterArn', cluster.clusterArn, 'EKS cluster ARN');
    output('OidcIssuer', cluster.clusterOpenIdConnectIssuerUrl, 'OIDC issuer URL for IRSA trust policies');
    output(
      'ApiEndpoint',
      cluster.clusterEndpoint,
      'Private Kubernetes API endpoint: reachable only from the VPC and the corporate ranges',
    );
    output(
      'KubeconfigCommand',
      Fn.join('', ['aws eks update-kubeconfig --region ', Aws.REGION, ' --name ', cluster.clusterName]),
      'Run from the corporate network or the VPC, with the role named in ClusterAdminRoleName',
    );
    output(
      'NodeSessionCommand',
      Fn.join('', [
        'aws ssm start-session --document-name ',
        nodes.sessions.document.ref,
        ' --target <node instance id>',
      ]),
      'Reach a node through Session Manager (there is no SSH); list nodes with kubectl get nodes -o wide',
    );
    output('SessionLogGroup', nodes.sessions.logGroup.logGroupName, 'Where node session transcripts are logged');
    output(
      'AdminApiGuardrailPolicyArn',
      identity.adminApiGuardrail.policy.managedPolicyArn,
      'Attach to every role of the account that must not use the EKS admin APIs freely',
    );
    output(
      'PrivilegedFunctionGuardrailPolicyArn',
      privilegedFunctions.guardrail.managedPolicyArn,
      'Attach with AdminApiGuardrailPolicyArn: keeps the kubectl handler and the responder to CloudFormation and their callers',
    );
    output(
      'RepositoryUris',
      Fn.join(
        ',',
        registry.workloadRepositories.map((r) => r.repositoryUri),
      ),
      'Private ECR repositories for your images',
    );
    output(
      'SecurityToolsRepositoryUri',
      registry.toolsRepository.repositoryUri,
      `Copy the pinned kube-bench (${detectionSettings.kubeBenchImageTag}) and aws-cli (${detectionSettings.awsCliImageTag}) images here before the first kube-bench run`,
    );
    output(
      'SecurityAlertTopicArn',
      detection.alerts.topic.topicArn,
      'Encrypted SNS topic for admin-API, access-entry, GuardDuty and kube-bench alerts',
    );
    output(
      'KubeBenchLogGroup',
      detection.kubeBench.logGroup.logGroupName,
      'kube-bench (CIS Amazon EKS Benchmark) reports',
    );
    output(
      'EvidenceBucketName',
      evidence.bucket.bucketName,
      'Object-locked evidence bucket: IR-6 writes under incidents/, upload responder tools (AVML) under tools/',
    );
    output(
      'IncidentResponderPolicyArn',
      runbooks.incidentResponderPolicy.managedPolicyArn,
      "Attach to the security team's roles that run the incident-response runbooks",
    );
    for (const [id, document] of Object.entries(runbooks.documents)) {
      output(
        `Runbook${id.replace(/[^A-Za-z0-9]/g, '')}`,
        document.ref,
        `SSM Automation runbook ${id} (see cdk.out/runbooks/ and the README)`,
      );
    }
  }
}
