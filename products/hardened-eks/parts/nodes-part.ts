import { NodeRole } from '../../../lib/identity/node-role';
import { HardenedNodeGroup } from '../../../lib/nodes/hardened-node-group';
import { SessionManagerPreferences } from '../../../lib/nodes/session-manager-preferences';
import { ClusterPart } from './cluster-part';
import { NetworkPart } from './network-part';
import { HardenedEksProductContext } from './product-context';

/** The managed node group (IMDSv2, no SSH, encrypted volumes), its role and its Session Manager sessions. */
export class NodesPart {
  readonly sessions: SessionManagerPreferences;
  readonly nodeRole: NodeRole;
  readonly nodeGroup: HardenedNodeGroup;

  constructor(context: HardenedEksProductContext) {
    const { stack, parameters, keys } = context;
    const network = context.part(NetworkPart);
    const { cluster, addons } = context.part(ClusterPart).hardenedCluster;
    this.sessions = new SessionManagerPreferences(stack, 'SessionManager', {
      key: keys.sessions,
      retention: context.logRetention,
    });
    this.nodeRole = new NodeRole(stack, 'NodeRole', {
      sessionLogGroup: this.sessions.logGroup,
      sessionKey: keys.sessions,
    });
    this.nodeGroup = new HardenedNodeGroup(stack, 'Nodes', {
      cluster,
      nodeRole: this.nodeRole.role,
      securityGroup: network.securityGroups.nodes,
      volumeKey: keys.volumes,
      subnets: network.privateSubnets,
      instanceType: parameters.nodeInstanceType.valueAsString,
      minSize: parameters.nodeMinSize.valueAsNumber,
      maxSize: parameters.nodeMaxSize.valueAsNumber,
      desiredSize: parameters.nodeMinSize.valueAsNumber,
    });
    // Nodes join only with pod networking in place; CoreDNS and the GuardDuty agent need nodes to become active.
    for (const addon of [addons.vpcCni, addons.kubeProxy, addons.podIdentityAgent])
      this.nodeGroup.nodegroup.node.addDependency(addon);
    for (const addon of [addons.coreDns, addons.guardDutyAgent]) addon.node.addDependency(this.nodeGroup.nodegroup);
  }
}
