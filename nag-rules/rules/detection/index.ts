import { ThreatModelRule } from '../../core/rule';
import { AdminApiAlerts } from './admin-api-alerts';
import { ConfigRulesDeployed } from './config-rules-deployed';
import { EvidenceRetention } from './evidence-retention';
import { GuardDutyRuntimeMonitoring } from './guardduty-runtime-monitoring';
import { KubeBenchScheduled } from './kube-bench-scheduled';
import { PrivilegedFunctionsAlerted } from './privileged-functions-alerted';

/** Rules of the detection area: the detective controls the product ships (CC-DET). */
export const DETECTION_RULES: readonly ThreatModelRule[] = [
  KubeBenchScheduled,
  GuardDutyRuntimeMonitoring,
  AdminApiAlerts,
  ConfigRulesDeployed,
  PrivilegedFunctionsAlerted,
  EvidenceRetention,
];
