import { clusterSettings, field, V1_CLUSTER_TYPE } from '../../core/cluster-properties';
import { asArray, isIntrinsic } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject } from '../../core/template-model';
import { isFalse, isTrue, literal, why } from '../../core/values';

/** The five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** CLU-3: all five control-plane log types enabled (AwsSolutions-EKS2, for both CDK EKS flavours). */
export const ControlPlaneLogging: ThreatModelRule = {
  controlId: 'CLU-3',
  threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'],
  level: 'warning',
  kind: 'misconfiguration',
  description:
    'The cluster sends all five control-plane log types (api, audit, authenticator, controllerManager, scheduler) to CloudWatch',
  explanation:
    'Without the audit and authenticator logs nobody can tell who called the Kubernetes API with which credentials ' +
    '(TH-3), and incident response cannot identify the offending pod or node (IR-1).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ resource, properties }) {
    const logging = field(clusterSettings(resource, properties), 'Logging');
    const enabled = new Set<string>();
    const unknown: string[] = [];
    const addTypes = (types: unknown) => {
      if (!Array.isArray(types)) {
        if (types !== undefined) unknown.push(why(types));
        return;
      }
      for (const type of types) {
        const value = literal(isObject(type) && !isIntrinsic(type) ? field(type, 'Type') : type);
        if (value.known) {
          if (typeof value.value === 'string') enabled.add(value.value);
        } else unknown.push(value.because);
      }
    };
    if (logging !== undefined && !isObject(logging)) unknown.push(why(logging));
    const clusterLogging = field(logging, 'ClusterLogging');
    if (resource.Type === V1_CLUSTER_TYPE || Array.isArray(clusterLogging)) {
      // The EKS API's shape: clusterLogging is a list of { types, enabled }.
      for (const setup of asArray(clusterLogging)) {
        const on = literal(field(setup, 'Enabled'));
        if (!on.known) unknown.push(on.because);
        else if (isTrue(on.value)) addTypes(field(setup, 'Types'));
        else if (!isFalse(on.value) && on.value !== undefined) unknown.push(why(on.value));
      }
    } else if (clusterLogging !== undefined) {
      if (!isObject(clusterLogging)) unknown.push(why(clusterLogging));
      else addTypes(field(clusterLogging, 'EnabledTypes'));
    }
    const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.has(t));
    if (missing.length === 0) return COMPLIANT;
    if (unknown.length) return [unresolved(`Control-plane log types ${missing.join(', ')}`, unknown[0])];
    return [{ message: `control-plane log types not enabled: ${missing.join(', ')}` }];
  },
};
