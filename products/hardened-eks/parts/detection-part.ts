import { KubeBenchSchedule } from '../../../lib/detection/kube-bench-schedule';
import { ProductConfigRules } from '../../../lib/detection/product-config-rules';
import { SecurityAlerts } from '../../../lib/detection/security-alerts';
import { ClusterPart } from './cluster-part';
import { NetworkPart } from './network-part';
import { NodesPart } from './nodes-part';
import { HardenedEksProductContext } from './product-context';
import { RegistryPart } from './registry-part';

/** Detective controls (CC-DET): alerts, AWS Config rules, kube-bench; GuardDuty's agent is a cluster add-on. */
export class DetectionPart {
  readonly alerts: SecurityAlerts;
  readonly configRules: ProductConfigRules;
  readonly kubeBench: KubeBenchSchedule;

  constructor(context: HardenedEksProductContext) {
    const { stack, settings, parameters, keys } = context;
    const { detection } = settings;
    const cluster = context.part(ClusterPart).cluster;
    const clusterName = cluster.clusterName;
    this.alerts = new SecurityAlerts(stack, 'SecurityAlerts', {
      clusterName,
      emailSubscriptions: detection.alertEmails,
    });
    this.configRules = new ProductConfigRules(stack, 'ConfigRules', {
      clusterName,
      productTagValue: parameters.clusterName.valueAsString,
      oldestSupportedKubernetesVersion: settings.kubernetesVersions[0],
      defaultSecurityGroupId: context.part(NetworkPart).network.createdVpc.vpcDefaultSecurityGroup,
    });
    // Only a created VPC's default group is the product's to judge.
    const defaultGroupRule = this.configRules.rules.get('VPC_DEFAULT_SECURITY_GROUP_CLOSED');
    if (defaultGroupRule) defaultGroupRule.cfnOptions.condition = parameters.createVpc;
    const toolsUri = context.part(RegistryPart).toolsRepositoryUri;
    this.kubeBench = new KubeBenchSchedule(stack, 'KubeBench', {
      cluster,
      kubeBenchImage: `${toolsUri}:${detection.kubeBenchImageTag}`,
      awsCliImage: `${toolsUri}:${detection.awsCliImageTag}`,
      benchmark: detection.kubeBenchBenchmark,
      schedule: detection.kubeBenchSchedule,
      logKey: keys.logs,
      logRetention: context.logRetention,
      alarmTopic: this.alerts.topic,
    });
    // kube-bench runs as a pod: a run before the nodes join would fail.
    this.kubeBench.node.addDependency(context.part(NodesPart).nodeGroup.nodegroup);
  }
}
