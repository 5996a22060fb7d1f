import { Aspects, Aws, CfnCondition, CfnOutput, CfnResource, Fn, IAspect, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct, IConstruct } from 'constructs';
import { HardenedCluster, KUBECTL_HANDLER_USERNAME } from '../../lib/cluster/hardened-cluster';
import { KubeBenchSchedule } from '../../lib/detection/kube-bench-schedule';
import { PRODUCT_TAG_KEY, ProductConfigRules } from '../../lib/detection/product-config-rules';
import { PrivilegedFunctionAlerts } from '../../lib/detection/privileged-function-alerts';
import { SecurityAlerts } from '../../lib/detection/security-alerts';
import { KeyGrantGuard, ProductKeys } from '../../lib/cluster/product-keys';
import { AdminApiGuardrail } from '../../lib/identity/admin-api-guardrail';
import { ClusterAccess } from '../../lib/identity/cluster-access';
import { privilegedFunctionGuardrailStatements } from '../../lib/identity/privileged-function-guardrail';
import { NodeRole } from '../../lib/identity/node-role';
import { AdmissionPolicies, serviceAccountUsername } from '../../lib/kubernetes/admission-policies';
import { AWS_NODE_SERVICE_ACCOUNT, AwsNodePodAnnotation } from '../../lib/kubernetes/aws-node-pod-annotation';
import { CalicoPolicyEngine } from '../../lib/kubernetes/calico-policy-engine';
import { DENY_ALL_POLICY, QUARANTINE_LABEL, QUARANTINE_POLICY, WorkloadBaseline } from '../../lib/kubernetes/workload-baseline';
import { ClusterSecurityGroups } from '../../lib/network/cluster-security-groups';
import { ProductNetwork } from '../../lib/network/product-network';
import { HardenedNodeGroup } from '../../lib/nodes/hardened-node-group';
import { SessionManagerPreferences } from '../../lib/nodes/session-manager-preferences';
import { PrivateRegistry } from '../../lib/registry/private-registry';
import { restrictToolPushes, restrictToolUploads } from '../../lib/registry/tool-publishers';
import { EvidenceBucket, TOOLS_PREFIX } from '../../lib/response/evidence-bucket';
import { IncidentResponseRunbooks } from '../../lib/response/incident-response-runbooks';
import { INCIDENT_RESPONDERS_GROUP, KubernetesResponder } from '../../lib/response/kubernetes-responder';
import { NodeIsolationSecurityGroup } from '../../lib/response/node-isolation-security-group';
import { ADDON_VERSIONS } from './addon-versions';
import { ProductParameters, roleOfThisAccount } from './parameters';
import { guardrailNetwork, HardenedEksSettings, PRIVATE_SUBNET_PREFIX } from './settings';

/** IAM path of every role and managed policy the product creates; the launch role may only touch these. */
export const PRODUCT_IAM_PATH = '/hardened-eks/';

export interface HardenedEksProductStackProps extends servicecatalog.ProductStackProps {
  readonly settings: HardenedEksSettings;
  readonly organizationId: string;
  /** Name of the Service Catalog launch role, which the admin-API guardrail lets deploy clusters. */
  readonly launchRoleName: string;
}

/** The hardened EKS product: one template with every preventive control of the threat model in place. */
export class HardenedEksProductStack extends servicecatalog.ProductStack {
  readonly parameters: ProductParameters;
  readonly cluster: HardenedCluster;
  readonly securityGroups: ClusterSecurityGroups;
  readonly nodeGroup: HardenedNodeGroup;

  constructor(scope: Construct, id: string, props: HardenedEksProductStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const retention = settings.logRetentionDays as logs.RetentionDays;
    const parameters = this.parameters = new ProductParameters(this, 'Parameters', settings);
    const keys = new ProductKeys(this, 'Keys');

    const network = new ProductNetwork(this, 'Network', {
      createVpc: parameters.createVpc,
      existingVpcId: parameters.existingVpcId.valueAsString,
      existingPrivateSubnetIds: parameters.existingPrivateSubnetIds.valueAsList,
      vpcCidr: settings.vpcCidr,
      availabilityZones: settings.availabilityZones,
      privateSubnetPrefix: PRIVATE_SUBNET_PREFIX,
      natGateways: settings.natGateways,
      organizationId: props.organizationId,
      logKey: keys.logs,
      logRetention: retention,
    });
    const securityGroups = this.securityGroups = new ClusterSecurityGroups(this, 'SecurityGroups', {
      vpc: network.vpc,
      corporateCidrs: parameters.corporateCidrSlots(settings.corporateCidrs.length),
    });

    const cluster = this.cluster = new HardenedCluster(this, 'HardenedCluster', {
      clusterName: parameters.clusterName.valueAsString,
      version: parameters.kubernetesVersion.valueAsString,
      vpc: network.vpc,
      subnets: { subnets: network.vpc.privateSubnets },
      securityGroup: securityGroups.controlPlane,
      kubectlHandlerSecurityGroup: securityGroups.kubectlHandler,
      logKey: keys.logs,
      logRetention: retention,
      addonVersions: Object.fromEntries(settings.kubernetesVersions.map((v) => [v, ADDON_VERSIONS[v]])),
    });

    const launchRoleArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${props.launchRoleName}`;
    new ClusterAccess(this, 'Access', {
      cluster: cluster.cluster,
      clusterAdminArns: [...settings.breakGlassRoleArns, roleOfThisAccount(parameters.clusterAdminRoleName)],
      editors: [{ principalArn: roleOfThisAccount(parameters.namespaceEditorRoleName), condition: parameters.hasNamespaceEditor, namespaces: settings.workloadNamespaces }],
      viewers: [{ principalArn: roleOfThisAccount(parameters.namespaceViewerRoleName), condition: parameters.hasNamespaceViewer, namespaces: settings.workloadNamespaces }],
    });
    // The consumer's admin role administers Kubernetes, not the cluster's configuration: only break-glass roles do (ADM-*).
    const guardrail = new AdminApiGuardrail(this, 'AdminApiGuardrail', {
      adminRoleArns: settings.breakGlassRoleArns,
      deploymentRoleArns: [launchRoleArn],
      ...guardrailNetwork(settings),
    });

    const sessions = new SessionManagerPreferences(this, 'SessionManager', { key: keys.sessions, retention });
    const nodeRole = new NodeRole(this, 'NodeRole', { sessionLogGroup: sessions.logGroup, sessionKey: keys.sessions });
    const nodeGroup = this.nodeGroup = new HardenedNodeGroup(this, 'Nodes', {
      cluster: cluster.cluster,
      nodeRole: nodeRole.role,
      securityGroup: securityGroups.nodes,
      volumeKey: keys.volumes,
      subnets: { subnets: network.vpc.privateSubnets },
      instanceType: parameters.nodeInstanceType.valueAsString,
      minSize: parameters.nodeMinSize.valueAsNumber,
      maxSize: parameters.nodeMaxSize.valueAsNumber,
      desiredSize: parameters.nodeMinSize.valueAsNumber,
    });
    for (const addon of [cluster.addons.vpcCni, cluster.addons.kubeProxy, cluster.addons.podIdentityAgent]) nodeGroup.nodegroup.node.addDependency(addon);
    for (const addon of [cluster.addons.coreDns, cluster.addons.guardDutyAgent]) addon.node.addDependency(nodeGroup.nodegroup);

    const podAnnotation = new AwsNodePodAnnotation(this, 'AwsNodePodAnnotation', { cluster: cluster.cluster });
    const calico = new CalicoPolicyEngine(this, 'Calico', { cluster: cluster.cluster, ...settings.calico });
    calico.node.addDependency(nodeGroup.nodegroup, podAnnotation);
    new WorkloadBaseline(this, 'WorkloadBaseline', { cluster: cluster.cluster, namespaces: settings.workloadNamespaces, after: [calico] });
    // The in-cluster paths to cluster-admin and out of quarantine (K8S-15, K8S-16): pod patchers change metadata only;
    // namespace editors cannot lift a quarantine.
    new AdmissionPolicies(this, 'AdmissionPolicies', {
      cluster: cluster.cluster,
      podPatchers: { usernames: [serviceAccountUsername(AWS_NODE_SERVICE_ACCOUNT.namespace, AWS_NODE_SERVICE_ACCOUNT.name)], groups: [INCIDENT_RESPONDERS_GROUP] },
      label: QUARANTINE_LABEL, namespaces: settings.workloadNamespaces, protectedPolicies: [DENY_ALL_POLICY, QUARANTINE_POLICY],
      responders: { groups: [INCIDENT_RESPONDERS_GROUP] }, deployers: { usernames: [KUBECTL_HANDLER_USERNAME] },
      after: [cluster.kubectlAccessEntry],
    });
    const { detection, incidentResponse } = settings;
    const registry = new PrivateRegistry(this, 'Registry', {
      repositories: [...settings.repositories, detection.toolsRepository], organizationId: props.organizationId,
    });
    const toolsRepository = registry.repositories[settings.repositories.length];
    // The repository's own RepositoryUri attribute (the L2 builds it from its ARN, which hides that it is ECR).
    const toolsUri = (toolsRepository.node.defaultChild as ecr.CfnRepository).attrRepositoryUri;

    // Detective controls (CC-DET): alerts, AWS Config rules, kube-bench; GuardDuty's agent is a cluster add-on.
    const clusterName = cluster.cluster.clusterName;
    const alerts = new SecurityAlerts(this, 'SecurityAlerts', { clusterName, emailSubscriptions: detection.alertEmails });
    const configRules = new ProductConfigRules(this, 'ConfigRules', {
      clusterName, productTagValue: parameters.clusterName.valueAsString,
      oldestSupportedKubernetesVersion: settings.kubernetesVersions[0],
      defaultSecurityGroupId: network.createdVpc.vpcDefaultSecurityGroup,
    });
    // Only a created VPC's default group is the product's to judge.
    const defaultGroupRule = configRules.rules.get('VPC_DEFAULT_SECURITY_GROUP_CLOSED');
    if (defaultGroupRule) defaultGroupRule.cfnOptions.condition = parameters.createVpc;
    const kubeBench = new KubeBenchSchedule(this, 'KubeBench', {
      cluster: cluster.cluster,
      kubeBenchImage: `${toolsUri}:${detection.kubeBenchImageTag}`,
      awsCliImage: `${toolsUri}:${detection.awsCliImageTag}`,
      benchmark: detection.kubeBenchBenchmark,
      schedule: detection.kubeBenchSchedule,
      logKey: keys.logs,
      logRetention: retention,
      alarmTopic: alerts.topic,
    });
    kubeBench.node.addDependency(nodeGroup.nodegroup);

    // Incident response (CC-REM, IR-1..IR-6): in-VPC responder, isolation group, evidence bucket, runbooks.
    const endpoints = { endpointSecurityGroup: network.endpointSecurityGroup, endpointCondition: parameters.createVpc };
    const existingVpc = new CfnCondition(this, 'ExistingVpc', { expression: Fn.conditionNot(parameters.createVpc) });
    const responder = new KubernetesResponder(this, 'KubernetesResponder', {
      cluster: cluster.cluster, vpc: network.vpc, subnets: { subnets: network.vpc.privateSubnets },
      controlPlaneSecurityGroup: securityGroups.controlPlane, ...endpoints, existingVpcCondition: existingVpc,
      logKey: keys.logs, logRetention: retention,
    });
    const isolation = new NodeIsolationSecurityGroup(this, 'NodeIsolation', { vpc: network.vpc, ...endpoints });
    const evidence = new EvidenceBucket(this, 'Evidence', { retentionDays: incidentResponse.evidenceRetentionDays, organizationId: props.organizationId });
    // What runs as root on the nodes (kube-bench, AVML) comes only from the platform's publisher roles (REG-6, REM-6).
    const toolPublishers = { publisherArns: settings.toolsPublisherRoleArns, deploymentRoleArns: [launchRoleArn] };
    restrictToolPushes(toolsRepository, toolPublishers);
    restrictToolUploads(evidence.bucket, TOOLS_PREFIX, toolPublishers);
    const runbooks = new IncidentResponseRunbooks(this, 'IncidentResponse', {
      clusterName, vpc: network.vpc,
      responderFunction: responder.function,
      isolationSecurityGroup: isolation.securityGroup,
      evidenceBucket: evidence.bucket, evidenceKey: evidence.key,
      avmlSha256: incidentResponse.avmlSha256, evidenceRetentionDays: incidentResponse.evidenceRetentionDays,
      logKey: keys.logs, logRetention: retention,
      revocableRoleArns: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${incidentResponse.workloadRolePath}*`],
      // Every launch's roles share the product's path: only this launch's (by its tag) are revocable from here.
      launchRoles: {
        arnPattern: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${PRODUCT_IAM_PATH}*`,
        tagKey: PRODUCT_TAG_KEY, tagValue: parameters.clusterName.valueAsString,
      },
    });

    // The privileged functions (IDN-8, DET-6): the guardrail keeps invoking each to its own caller and changing it to the
    // launch role (through CloudFormation); an alert reports anyone else doing either.
    const { handler, framework } = cluster.kubectlFunctions;
    const privileged = [
      { name: 'KubectlHandler', fn: handler, invokerArns: [framework.role!.roleArn] },
      { name: 'KubectlProvider', fn: framework, invokerArns: [launchRoleArn] },
      { name: 'IncidentResponder', fn: responder.function, invokerArns: [runbooks.automationRole.role.roleArn] },
      { name: 'RoleSessionRevoker', fn: runbooks.revoker.function, invokerArns: [runbooks.automationRole.role.roleArn] },
    ].map(({ name, fn, invokerArns }) => ({ name, functionName: fn.functionName, functionArn: fn.functionArn, invokerArns, role: fn.role! }));
    // A policy of its own: with the admin APIs' statements it would pass IAM's 6,144-character managed-policy limit.
    const functionGuardrail = new iam.ManagedPolicy(this, 'PrivilegedFunctionGuardrail', {
      description: 'Keeps the product\'s privileged Lambda functions to their own callers and to CloudFormation',
      statements: privilegedFunctionGuardrailStatements({
        functions: privileged, executionRoleArns: privileged.map((p) => p.role.roleArn), deploymentRoleArns: [launchRoleArn],
      }),
    });
    new PrivilegedFunctionAlerts(this, 'PrivilegedFunctionAlerts', { topic: alerts.topic, functions: privileged, deploymentRoleArns: [launchRoleArn] });

    // Config rules find the product's security groups, repositories and topics by this tag. Its value is the
    // parameter, not the cluster's Ref: resources the cluster depends on carry it too.
    Tags.of(this).add(PRODUCT_TAG_KEY, parameters.clusterName.valueAsString);
    Aspects.of(this).add(new IamPath(PRODUCT_IAM_PATH));
    Aspects.of(this).add(new KeyGrantGuard());

    const output = (name: string, value: string, description: string) => new CfnOutput(this, name, { value, description }).overrideLogicalId(name);
    output('ClusterName', cluster.cluster.clusterName, 'EKS cluster name');
    output('ClusterArn', cluster.cluster.clusterArn, 'EKS cluster ARN');
    output('OidcIssuer', cluster.cluster.clusterOpenIdConnectIssuerUrl, 'OIDC issuer URL for IRSA trust policies');
    output('ApiEndpoint', cluster.cluster.clusterEndpoint, 'Private Kubernetes API endpoint: reachable only from the VPC and the corporate ranges');
    output('KubeconfigCommand', Fn.join('', ['aws eks update-kubeconfig --region ', Aws.REGION, ' --name ', cluster.cluster.clusterName]),
      'Run from the corporate network or the VPC, with the role named in ClusterAdminRoleName');
    output('NodeSessionCommand', Fn.join('', ['aws ssm start-session --document-name ', sessions.document.ref, ' --target <node instance id>']),
      'Reach a node through Session Manager (there is no SSH); list nodes with kubectl get nodes -o wide');
    output('SessionLogGroup', sessions.logGroup.logGroupName, 'Where node session transcripts are logged');
    output('AdminApiGuardrailPolicyArn', guardrail.policy.managedPolicyArn, 'Attach to every role of the account that must not use the EKS admin APIs freely');
    output('PrivilegedFunctionGuardrailPolicyArn', functionGuardrail.managedPolicyArn, 'Attach with AdminApiGuardrailPolicyArn: keeps the kubectl handler and the responder to CloudFormation and their callers');
    output('RepositoryUris', Fn.join(',', registry.repositories.slice(0, settings.repositories.length).map((r) => r.repositoryUri)), 'Private ECR repositories for your images');
    output('SecurityToolsRepositoryUri', toolsRepository.repositoryUri,
      `Copy the pinned kube-bench (${detection.kubeBenchImageTag}) and aws-cli (${detection.awsCliImageTag}) images here before the first kube-bench run`);
    output('SecurityAlertTopicArn', alerts.topic.topicArn, 'Encrypted SNS topic for admin-API, access-entry, GuardDuty and kube-bench alerts');
    output('KubeBenchLogGroup', kubeBench.logGroup.logGroupName, 'kube-bench (CIS Amazon EKS Benchmark) reports');
    output('EvidenceBucketName', evidence.bucket.bucketName, 'Object-locked evidence bucket: IR-6 writes under incidents/, upload responder tools (AVML) under tools/');
    output('IncidentResponderPolicyArn', runbooks.incidentResponderPolicy.managedPolicyArn, 'Attach to the security team\'s roles that run the incident-response runbooks');
    for (const [id, document] of Object.entries(runbooks.documents)) {
      output(`Runbook${id.replace(/[^A-Za-z0-9]/g, '')}`, document.ref, `SSM Automation runbook ${id} (see cdk.out/runbooks/ and the README)`);
    }
  }
}

/** Puts every role and managed policy of the product under one IAM path, so the launch role can be scoped to it. */
class IamPath implements IAspect {
  constructor(private readonly path: string) {}
  visit(node: IConstruct): void {
    if (node instanceof iam.CfnRole || node instanceof iam.CfnManagedPolicy) {
      // The ManagedPolicy L2 writes the default path '/' explicitly.
      if (node.path === undefined || node.path === '/') node.path = this.path;
    } else if (CfnResource.isCfnResource(node) && node.cfnResourceType === 'AWS::IAM::Role') {
      // CDK's own custom-resource providers declare their roles as plain CfnResources.
      node.addPropertyOverride('Path', this.path);
    }
  }
}
