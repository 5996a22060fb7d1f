import { ThreatModelRule } from '../../core/rule';
import { NoSshIngress } from './no-ssh-ingress';
import { NoWorldIngress } from './no-world-ingress';
import { PrivateRegistryEndpoints } from './private-registry-endpoints';
import { S3EndpointPolicy } from './s3-endpoint-policy';
import { SeparateSecurityGroups } from './separate-security-groups';
import { VpcFlowLogs } from './vpc-flow-logs';

/** Rules of the network area. */
export const NETWORK_RULES: readonly ThreatModelRule[] = [
  NoWorldIngress,
  NoSshIngress,
  SeparateSecurityGroups,
  VpcFlowLogs,
  S3EndpointPolicy,
  PrivateRegistryEndpoints,
];
