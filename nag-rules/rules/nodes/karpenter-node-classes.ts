import { configurationOf, kubernetesConfigurations } from '../../core/kubernetes-configuration';
import {
  containsToken,
  describeObject,
  flagState,
  KUBERNETES_RESOURCE_TYPES,
  objectsOf,
  tokenResource,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { KEY_TYPES } from './encrypted-node-volumes';
import { judgeUserData } from './node-user-data';

const NODE_CLASS = 'EC2NodeClass';
const KARPENTER_API = /^karpenter\.k8s\.aws\//;
const NODE_POOL = 'NodePool';
const KARPENTER_POOL_API = /^karpenter\.sh\//;
/** AMI families (and `alias` prefixes) of a container-optimized OS, as for managed node groups (NOD-5). */
const OPTIMIZED_AMI = /^(al2023|bottlerocket)\b/i;

/** NOD-9: Karpenter's EC2NodeClass objects start nodes as hardened as the managed node group's launch template. */
export const KarpenterNodeClasses: ThreatModelRule = {
  controlId: 'NOD-9',
  threats: ['TH-1', 'TH-2', 'EP-2', 'LM-1', 'EX-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every Karpenter NodePool a manifest applies starts its nodes from an EC2NodeClass the template applies, and every EC2NodeClass keeps IMDSv2 required with hop limit 1, maps only encrypted ' +
    'volumes with a customer-managed kmsKeyID, associates no public IP, uses an AL2023 or Bottlerocket AMI and has user data ' +
    'that opens no SSH, metadata or agent hole (as NOD-8)',
  explanation:
    "Karpenter launches EC2 instances itself from its EC2NodeClass: nodes it starts never see the node group's launch " +
    'template, so every node control (NOD-2, NOD-4, NOD-5, NOD-6, NOD-8) must hold in the node class too, or the cluster ' +
    'gains nodes where pods reach the node role (TH-2, LM-1), volumes leave unencrypted (EX-1) or SSH is open (EP-2).',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { configurations, unreadable } = configurationOf(model, logicalId);
    const findings: RuleFinding[] = unreadable.map((u) => ({
      message: `the ${u.where} of ${logicalId} cannot be read (${u.reason}), so a Karpenter node class it may apply cannot be checked`,
      unresolved: true,
    }));
    let judged = unreadable.length > 0;
    const classes = new Set(
      kubernetesConfigurations(model)
        .configurations.map((c) => c.value)
        .filter((v): v is Record<string, any> => isObject(v) && v.kind === NODE_CLASS)
        .map((v) => v.metadata?.name),
    );
    for (const { value } of configurations) {
      if (isObject(value) && value.kind === NODE_POOL && KARPENTER_POOL_API.test(String(value.apiVersion))) {
        judged = true;
        const name = isObject(value.spec?.template?.spec?.nodeClassRef)
          ? value.spec.template.spec.nodeClassRef.name
          : undefined;
        if (containsToken(name)) findings.push(unresolvedField(`the node class of ${describeObject(value)}`, name));
        else if (!classes.has(name)) {
          findings.push(
            unresolved(
              `the nodes of ${describeObject(value)}`,
              `EC2NodeClass ${JSON.stringify(name ?? null)}, which the template does not apply`,
            ),
          );
        }
        continue;
      }
      if (!isObject(value)) continue;
      if (containsToken(value.kind) || containsToken(value.apiVersion)) {
        findings.push(
          unresolvedField(`the kind of ${describeObject(value)} (it may be a Karpenter ${NODE_CLASS})`, [
            value.kind,
            value.apiVersion,
          ]),
        );
        judged = true;
        continue;
      }
      if (value.kind !== NODE_CLASS || !KARPENTER_API.test(String(value.apiVersion))) continue;
      judged = true;
      findings.push(...judgeNodeClass(model, value));
    }
    if (!judged) return NOT_APPLICABLE;
    return findings.length ? findings : COMPLIANT;
  },
};

function judgeNodeClass(model: TemplateModel, nodeClass: Record<string, any>): RuleFinding[] {
  const name = describeObject(nodeClass);
  const spec = isObject(nodeClass.spec) ? nodeClass.spec : {};
  const findings: RuleFinding[] = [];
  const judge = (field: string, value: unknown, bad: (v: unknown) => string | undefined) => {
    if (containsToken(value)) findings.push(unresolvedField(`${field} of ${name}`, value));
    else {
      const problem = bad(value);
      if (problem) findings.push({ message: `${name} ${problem}` });
    }
  };
  // Karpenter's defaults are IMDSv2 required and hop limit 1: only an explicit weaker value is a finding.
  const metadata = isObject(spec.metadataOptions) ? spec.metadataOptions : {};
  judge('metadataOptions.httpTokens', metadata.httpTokens, (v) =>
    v !== undefined && v !== 'required' ? `allows IMDSv1 (metadataOptions.httpTokens '${String(v)}')` : undefined,
  );
  judge('metadataOptions.httpPutResponseHopLimit', metadata.httpPutResponseHopLimit, (v) =>
    v !== undefined && Number(v) !== 1
      ? `sets metadataOptions.httpPutResponseHopLimit to ${String(v)}, so pods reach the metadata service`
      : undefined,
  );
  judge('associatePublicIPAddress', spec.associatePublicIPAddress, (v) =>
    flagState(v) === 'true'
      ? 'associates a public IP address with its nodes (associatePublicIPAddress true)'
      : undefined,
  );
  const mappings = objectsOf(spec.blockDeviceMappings);
  if (spec.blockDeviceMappings === undefined) {
    findings.push({
      message: `${name} maps no block device: Karpenter's default root volume is encrypted with the AWS managed key aws/ebs; map it with a customer-managed kmsKeyID`,
    });
  }
  for (const mapping of mappings) {
    const ebs = isObject(mapping.ebs) ? mapping.ebs : {};
    const device = typeof mapping.deviceName === 'string' ? `volume ${mapping.deviceName}` : 'a volume';
    judge(`${device}'s ebs.encrypted`, ebs.encrypted, (v) =>
      flagState(v) !== 'true'
        ? `maps ${device} unencrypted (ebs.encrypted ${v === undefined ? 'absent' : String(v)})`
        : undefined,
    );
    const key = typeof ebs.kmsKeyID === 'string' ? tokenResource(model, ebs.kmsKeyID) : undefined;
    if (key && KEY_TYPES.includes(model.resource(key.id)!.Type)) continue;
    judge(`${device}'s ebs.kmsKeyID`, ebs.kmsKeyID, (v) =>
      typeof v !== 'string' || v === ''
        ? `encrypts ${device} with the AWS managed key aws/ebs: set ebs.kmsKeyID to a customer-managed key`
        : undefined,
    );
  }
  const aliases = objectsOf(spec.amiSelectorTerms)
    .map((t) => t.alias)
    .filter((a) => a !== undefined);
  const families = [spec.amiFamily, ...aliases].filter((f) => f !== undefined);
  if (families.length === 0 && spec.amiSelectorTerms !== undefined) {
    findings.push({
      message: `${name} selects its AMI by ID, name or tags, not an AL2023 or Bottlerocket alias: the node OS cannot be checked`,
      unresolved: true,
    });
  }
  for (const family of families) {
    judge('the AMI family', family, (v) =>
      !OPTIMIZED_AMI.test(String(v)) && String(v).toLowerCase() !== 'custom'
        ? `runs AMI family '${String(v)}', not a container-optimized OS (AL2023 or Bottlerocket)`
        : undefined,
    );
  }
  if (spec.userData !== undefined) findings.push(...judgeUserData(spec.userData, name));
  return findings;
}
