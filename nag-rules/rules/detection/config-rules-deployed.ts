import { namesCluster } from '../../core/cluster-properties';
import { literalStrings } from '../../core/iam-documents';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';
import { literal } from '../../core/values';

/** AWS Config managed rules the product must deploy for its own resources, and what each watches. */
export const REQUIRED_CONFIG_RULES: Readonly<Record<string, string>> = {
  EKS_ENDPOINT_NO_PUBLIC_ACCESS: 'the API endpoint stays private (EP-1)',
  EKS_SECRETS_ENCRYPTED: 'secrets stay envelope-encrypted (LM-3)',
  EKS_CLUSTER_LOGGING_ENABLED: 'control-plane logging stays on',
  EKS_CLUSTER_SUPPORTED_VERSION: 'the Kubernetes version stays supported',
  EC2_IMDSV2_CHECK: 'nodes keep requiring IMDSv2 (LM-1)',
  INCOMING_SSH_DISABLED: 'no security group opens SSH (EP-2)',
  RESTRICTED_INCOMING_TRAFFIC: 'no security group opens common ports to the world (TH-1)',
  ECR_PRIVATE_IMAGE_SCANNING_ENABLED: 'repositories keep scanning images (AC-2, AC-3)',
  ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED: 'image tags stay immutable (PE-1)',
};

/** DET-5: AWS Config managed rules watch the product's resources for drift away from the controls. */
export const ConfigRulesDeployed: ThreatModelRule = {
  controlId: 'DET-5',
  threats: ['TH-1', 'TH-2', 'EP-1', 'EP-2', 'LM-1', 'LM-3', 'PV-1', 'PV-6'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `The template has AWS Config managed rules (Source.Owner AWS) ${Object.keys(REQUIRED_CONFIG_RULES).join(', ')}; a rule ` +
    'scoped to one EKS cluster (ComplianceResourceId) names this one',
  explanation:
    'CC-DET: the template is only the state at launch. Someone with console access can open the endpoint, add an SSH ' +
    "rule or turn scanning off afterwards; AWS Config's event-based evaluation reports that drift.",
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const found = new Set<string>();
    const findings: RuleFinding[] = [];
    for (const [id, rule] of model.resourcesOfType('AWS::Config::ConfigRule')) {
      const source = rule.Properties?.Source;
      if (!isObject(source) || source.Owner !== 'AWS') continue;
      const identifier = literal(source.SourceIdentifier);
      if (!identifier.known || typeof identifier.value !== 'string') continue;
      const scope = rule.Properties?.Scope;
      if (
        isObject(scope) &&
        scope.ComplianceResourceId !== undefined &&
        literalStrings(scope.ComplianceResourceTypes).values.some((t) => CLUSTER_TYPES.includes(t)) &&
        !namesCluster(model, logicalId, scope.ComplianceResourceId)
      ) {
        if (REQUIRED_CONFIG_RULES[identifier.value])
          findings.push({ message: `${id} (${identifier.value}) is scoped to another cluster` });
        continue;
      }
      found.add(identifier.value);
    }
    const missing = Object.keys(REQUIRED_CONFIG_RULES).filter((r) => !found.has(r));
    for (const rule of missing)
      findings.push({ message: `no AWS Config rule ${rule}: nothing reports when ${REQUIRED_CONFIG_RULES[rule]}` });
    return findings.length ? findings : COMPLIANT;
  },
};
