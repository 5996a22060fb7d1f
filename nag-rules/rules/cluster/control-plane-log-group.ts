import { clusterSettings, field } from '../../core/cluster-properties';
import { asArray, branchValues, renderText, textKey } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateResource } from '../../core/template-model';
import { literal } from '../../core/values';

/** CLU-4: the control-plane log group `/aws/eks/<name>/cluster` is created by the template, before the cluster, with retention and KMS. */
export const ControlPlaneLogGroup: ThreatModelRule = {
  controlId: 'CLU-4',
  threats: ['TH-3', 'TH-4', 'IR-1', 'IR-6'],
  level: 'warning',
  kind: 'missing-control',
  description:
    'The template creates the log group /aws/eks/<cluster name>/cluster, with RetentionInDays and KmsKeyId, before the cluster',
  explanation:
    'EKS writes control-plane logs to /aws/eks/<name>/cluster and creates that group itself, unencrypted and kept ' +
    'forever, unless it already exists. Pre-creating it (the cluster depends on it) gives the evidence a retention and a ' +
    'customer-managed key (IR-1, IR-6).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId, resource, properties }) {
    const name = field(clusterSettings(resource, properties), 'Name');
    if (name === undefined || name === '') {
      return [
        {
          message:
            'the cluster has no Name: its log group is named after a generated name, so the template cannot create it beforehand',
        },
      ];
    }
    const expected = textKey({ 'Fn::Join': ['', ['/aws/eks/', name, '/cluster']] });
    const groups = model
      .resourcesOfType('AWS::Logs::LogGroup')
      .filter(
        ([, r]) =>
          r.Properties?.LogGroupName !== undefined &&
          branchValues(r.Properties.LogGroupName).some((n) => n !== undefined && textKey(n) === expected),
      );
    const shown = renderText({ 'Fn::Join': ['', ['/aws/eks/', name, '/cluster']] });
    if (groups.length === 0)
      return [
        { message: `no AWS::Logs::LogGroup named ${shown} in the template: EKS creates it without retention or KMS` },
      ];
    const judged = groups.map(([id, group]) => logGroupFindings(id, group, logicalId, resource));
    return judged.find((f) => f.length === 0) ? COMPLIANT : judged[0];
  },
};

function logGroupFindings(
  id: string,
  group: TemplateResource,
  clusterId: string,
  cluster: TemplateResource,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const props = (group.Properties ?? {}) as Record<string, unknown>;
  const retentions = branchValues(props.RetentionInDays);
  if (retentions.includes(undefined))
    findings.push({ message: `log group ${id} has no RetentionInDays (it keeps logs forever, without a lifecycle)` });
  for (const retention of retentions.filter((r) => r !== undefined)) {
    const value = literal(retention);
    if (!value.known) findings.push(unresolved(`RetentionInDays of log group ${id}`, value.because));
    else if (!(Number(value.value) > 0))
      findings.push({ message: `log group ${id} has an invalid RetentionInDays (${JSON.stringify(value.value)})` });
  }
  if (branchValues(props.KmsKeyId).some((k) => k === undefined || k === '')) {
    findings.push({
      message: `log group ${id} has no KmsKeyId: control-plane logs are not encrypted with a customer-managed key`,
    });
  }
  if (!asArray(cluster.DependsOn).includes(id)) {
    findings.push({
      message: `cluster ${clusterId} does not depend on log group ${id}, so EKS may create the group first`,
    });
  }
  if (group.Condition !== undefined && group.Condition !== cluster.Condition) {
    findings.push(unresolved(`Whether log group ${id} exists`, `condition '${group.Condition}'`));
  }
  return findings;
}
