import { literalStrings } from '../../core/iam-documents';
import { renderText } from '../../core/intrinsics';
import { CLUSTER_TYPES, objectsAppliedTo } from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { IR_IDS, runbooksFor } from '../../core/runbook-documents';
import {
  accessEntriesOf,
  accessEntryFindings,
  BROAD_ACCESS_POLICIES,
  functionsInvokedBy,
} from './incident-response-role-scoped';

/** REM-8: the Kubernetes responder the runbooks invoke is never cluster-admin. */
export const ResponderNotClusterAdmin: ThreatModelRule = {
  controlId: 'REM-8',
  threats: ['TH-2', 'TH-3', 'PV-1', 'PV-3', 'IR-2', 'IR-4'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `No access entry of a function the runbooks invoke has ${BROAD_ACCESS_POLICIES.join(', ')} or the group system:masters, ` +
    'and no ClusterRoleBinding the template applies binds cluster-admin to its Kubernetes groups or user name',
  explanation:
    'The responder is invoked by every automation execution the incident-response role starts, and SSM lets any ' +
    'automation of the account assume that role: a responder that holds cluster-admin makes cluster-admin one Lambda ' +
    'invocation away from anyone who can start an automation (TH-3, PV-1). Isolating and cordoning need to read pods and ' +
    'nodes and to label them, nothing more (PV-3).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const documents = IR_IDS.flatMap((ir) => runbooksFor(model, logicalId, ir).documents);
    const entries = functionsInvokedBy(model, documents).flatMap((functionId) =>
      accessEntriesOf(model, logicalId, functionId),
    );
    if (entries.length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = accessEntryFindings(entries);
    const groups = new Set(entries.flatMap(([, entry]) => literalStrings(entry.Properties?.KubernetesGroups).values));
    const users = new Set(
      entries.map(([, entry]) => renderText(entry.Properties?.Username)).filter((u): u is string => u !== undefined),
    );
    const { objects, findings: unreadable } = objectsAppliedTo(
      model,
      logicalId,
      'a ClusterRoleBinding of the responder',
    );
    findings.push(...unreadable);
    for (const { object } of objects) {
      if (object.kind !== 'ClusterRoleBinding' || object.roleRef?.name !== 'cluster-admin') continue;
      const subjects = Array.isArray(object.subjects) ? object.subjects : [];
      const bound = subjects.filter(
        (s: any) => (s?.kind === 'Group' && groups.has(s.name)) || (s?.kind === 'User' && users.has(s.name)),
      );
      for (const subject of bound)
        findings.push({
          message: `ClusterRoleBinding ${String(object.metadata?.name)} binds cluster-admin to the responder's ${String(subject.kind).toLowerCase()} ${String(subject.name)}`,
        });
    }
    return findings.length ? findings : COMPLIANT;
  },
};
