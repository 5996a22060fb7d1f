import { hasToken, renderText } from '../../core/intrinsics';
import {
  describeObject,
  KUBERNETES_PATCH_TYPES,
  KUBERNETES_RESOURCE_TYPES,
  metadataOf,
  objectsAppliedBy,
  ofKinds,
  parseTemplateJsonObjects,
  parseYaml,
  tokenResource,
  tokensIn,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';

const MAPPING_KEYS = ['mapRoles', 'mapUsers', 'mapAccounts'] as const;

/** The findings of an aws-auth ConfigMap's `data` (from a manifest or a patch). */
function checkAwsAuthData(model: TemplateModel, data: unknown, where: string): RuleFinding[] {
  if (data === undefined || data === null) return [];
  if (hasToken(data)) return [unresolvedField(`the data of ${where}`, data)];
  if (!isObject(data)) return [{ message: `the data of ${where} is not a map, so its mappings cannot be checked` }];
  const findings: RuleFinding[] = [];
  for (const key of MAPPING_KEYS) {
    const raw = data[key];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') {
      findings.push({ message: `${key} of ${where} is not a YAML string, so it cannot be checked` });
      continue;
    }
    const parsed = parseYaml(raw);
    if (!parsed.ok) {
      findings.push({ message: `${key} of ${where} is not valid YAML (${parsed.reason}), so it cannot be checked` });
      continue;
    }
    if (parsed.value === null || parsed.value === undefined || parsed.value === '') continue;
    if (hasToken(parsed.value)) {
      findings.push(unresolvedField(`${key} of ${where}`, parsed.value));
      continue;
    }
    if (!Array.isArray(parsed.value)) {
      findings.push({ message: `${key} of ${where} is not a YAML list, so it cannot be checked` });
      continue;
    }
    const entries = parsed.value;
    if (key === 'mapUsers') {
      entries.forEach((e, i) => {
        findings.push({
          message:
            `${where} maps the IAM user ${isObject(e) && typeof e.userarn === 'string' ? `'${e.userarn}'` : `#${i + 1}`} (mapUsers): ` +
            'long-lived user credentials must not reach the cluster; use IAM roles through access entries',
        });
      });
    } else if (key === 'mapAccounts') {
      entries.forEach((e) => {
        findings.push({ message: `${where} maps every principal of account '${String(e)}' (mapAccounts)` });
      });
    } else {
      entries.forEach((e, i) => {
        findings.push(...checkRoleMapping(model, e, `mapRoles entry ${i + 1} of ${where}`));
      });
    }
  }
  return findings;
}

function checkRoleMapping(model: TemplateModel, entry: unknown, where: string): RuleFinding[] {
  if (!isObject(entry)) return [{ message: `${where} is not a mapping, so it cannot be checked` }];
  const findings: RuleFinding[] = [];
  const arn = entry.rolearn;
  if (typeof arn !== 'string') {
    findings.push({ message: `${where} has no rolearn string, so the mapped role cannot be checked` });
  } else if (arn.replace(/\$\{Token:[^}]*\}/g, '').match(/[*?]/)) {
    findings.push({ message: `${where} maps roles by a wildcard ('${arn}')` });
  } else {
    // A placeholder for a resource of this template is one concrete role; anything else (a parameter, an import) could be a wildcard.
    const unknown = tokensIn(arn).filter((t) => !tokenResource(model, t));
    if (unknown.length) findings.push(unresolvedField(`the rolearn of ${where}`, unknown.join(' ')));
  }
  const groups = entry.groups;
  if (hasToken(groups)) findings.push(unresolvedField(`the groups of ${where}`, groups));
  else if (Array.isArray(groups)) {
    for (const group of groups) {
      if (hasToken(group)) findings.push(unresolvedField(`a group of ${where}`, group));
      else if (group === 'system:masters')
        findings.push({
          message: `${where} maps '${String(arn)}' to system:masters (unrestricted cluster admin that RBAC cannot limit)`,
        });
    }
  }
  return findings;
}

/**
 * What a patch writes into the ConfigMap's data: a strategic or merge patch's `data`, or the values a JSON patch
 * (RFC 6902) adds or replaces under /data.
 */
function patchedData(patchType: unknown, patch: Record<string, any>[]): unknown {
  if (patchType !== 'json') return patch[0]?.data;
  const data: Record<string, unknown> = {};
  for (const op of patch) {
    if (!['add', 'replace'].includes(op.op) || typeof op.path !== 'string') continue;
    if (op.path === '/data' && isObject(op.value)) Object.assign(data, op.value);
    else if (op.path.startsWith('/data/')) data[op.path.slice('/data/'.length)] = op.value;
  }
  return data;
}

const PATCH_NAMES = ['configmap/aws-auth', 'configmaps/aws-auth', 'cm/aws-auth'];

/** K8S-1: the aws-auth ConfigMap, if the template applies or patches it, maps no masters, no users and no accounts. */
export const AwsAuthNoAdminMappings: ThreatModelRule = {
  controlId: 'K8S-1',
  threats: ['TH-3', 'PV-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'An aws-auth ConfigMap the template applies or patches maps no role to system:masters, no role by wildcard, and has no mapUsers or mapAccounts',
  explanation:
    'system:masters bypasses RBAC and cannot be revoked inside the cluster; mapUsers ties cluster admin to long-lived IAM user keys; ' +
    'mapAccounts and wildcard roles let any principal of an account in. Stolen or misused credentials then run anything against the API (TH-3). ' +
    'mapRoles/mapUsers/mapAccounts are YAML strings: they are parsed, and an unreadable one is a finding.',
  resourceTypes: [...KUBERNETES_RESOURCE_TYPES, ...KUBERNETES_PATCH_TYPES],
  evaluate({ model, logicalId, resource, properties }) {
    if (KUBERNETES_PATCH_TYPES.includes(resource.Type)) {
      const name = renderText(properties.ResourceName);
      const namespace = renderText(properties.ResourceNamespace) ?? 'default';
      if (hasToken(name) || hasToken(namespace)) {
        return [unresolvedField('the object this patch changes (it may be aws-auth)', `${name} ${namespace}`)];
      }
      if (!PATCH_NAMES.includes((name ?? '').toLowerCase()) || namespace !== 'kube-system') return NOT_APPLICABLE;
      const patch = parseTemplateJsonObjects(properties.ApplyPatchJson);
      if (!patch.ok)
        return [
          {
            message: `the aws-auth patch cannot be read (${patch.reason}), so its mappings cannot be checked`,
            unresolved: true,
          },
        ];
      const findings = checkAwsAuthData(model, patchedData(properties.PatchType, patch.value), 'the aws-auth patch');
      return findings.length ? findings : COMPLIANT;
    }
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { matches, findings: kindFindings } = ofKinds(objects, ['ConfigMap']);
    findings.push(...kindFindings);
    let applies = false;
    for (const configMap of matches) {
      const { name, namespace } = metadataOf(configMap);
      if (hasToken(name) || hasToken(namespace)) {
        if ((hasToken(name) || name === 'aws-auth') && (hasToken(namespace) || namespace === 'kube-system')) {
          findings.push(
            unresolvedField(`the name of ${describeObject(configMap)} (it may be aws-auth)`, [name, namespace]),
          );
        }
        continue;
      }
      if (name !== 'aws-auth' || namespace !== 'kube-system') continue;
      applies = true;
      findings.push(...checkAwsAuthData(model, configMap.data, 'ConfigMap kube-system/aws-auth'));
    }
    if (findings.length) return findings;
    return applies ? COMPLIANT : NOT_APPLICABLE;
  },
};
