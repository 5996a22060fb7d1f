import { branchValues, renderText } from '../../core/intrinsics';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject } from '../../core/template-model';
import { why } from '../../core/values';

/** CLU-8: every EKS managed add-on states its version. */
export const AddonVersionPinned: ThreatModelRule = {
  controlId: 'CLU-8',
  threats: ['TH-2', 'AC-3', 'LM-4'],
  level: 'warning',
  kind: 'misconfiguration',
  description: 'Every AWS::EKS::Addon has AddonVersion: a literal, an Fn::FindInMap, or a parameter with AllowedValues',
  explanation:
    'Without a version EKS installs whatever default it has that day, so two launches of one product version run ' +
    'different CNI, CoreDNS or kube-proxy builds (AC-3, LM-4), and nobody reviewed the one that runs.',
  resourceTypes: ['AWS::EKS::Addon'],
  evaluate({ model, properties }) {
    const addon = renderText(properties.AddonName) ?? 'add-on';
    const findings: RuleFinding[] = [];
    for (const version of branchValues(properties.AddonVersion)) {
      if (version === undefined) {
        findings.push({
          message: `${addon} has no AddonVersion${properties.AddonVersion === undefined ? '' : ' in one branch of its Fn::If'}: EKS installs its default version`,
        });
      } else if (typeof version === 'string' || typeof version === 'number') {
        if (String(version).trim() === '') findings.push({ message: `${addon} has an empty AddonVersion` });
      } else if (isObject(version) && Array.isArray(version['Fn::FindInMap'])) {
        // A mapping holds literal versions, chosen by keys the template controls.
      } else if (model.parameterOf(version)) {
        const name = model.parameterOf(version)!;
        const allowed = model.parameters[name].AllowedValues;
        if (!Array.isArray(allowed) || allowed.length === 0) {
          findings.push(
            unresolved(
              `${addon}'s AddonVersion`,
              `parameter '${name}' (no AllowedValues: the launcher chooses any version)`,
            ),
          );
        } else if (allowed.some((v) => String(v).trim() === '')) {
          findings.push({ message: `${addon}'s AddonVersion parameter '${name}' allows an empty version` });
        }
      } else {
        findings.push(unresolved(`${addon}'s AddonVersion`, why(version)));
      }
    }
    return findings.length ? findings : COMPLIANT;
  },
};
