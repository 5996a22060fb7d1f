import { isIntrinsic, presentBranchValues } from '../../core/intrinsics';
import { NODE_TYPES, NODEGROUP_TYPE, launchTemplatePropertyFindings } from '../../core/node-launch-templates';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';
import { literal, shown, why } from '../../core/values';

/** NOD-3: no SSH to nodes: no remoteAccess on node groups and no key pair in their launch templates. */
export const NoSshAccess: ThreatModelRule = {
  controlId: 'NOD-3',
  threats: ['TH-1', 'EP-2', 'AC-1'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'Node groups have no RemoteAccess and their launch templates no KeyName',
  explanation:
    'SSH is an entry point to the nodes (EP-2): a key pair or remoteAccess opens port 22 and puts a long-lived secret ' +
    "in someone's hands. Session Manager gives audited shell access instead (NOD-7).",
  resourceTypes: NODE_TYPES,
  evaluate({ model, resource, properties }) {
    const findings: RuleFinding[] = [];
    if (resource.Type === NODEGROUP_TYPE && properties.RemoteAccess !== undefined) {
      for (const remote of presentBranchValues(properties.RemoteAccess)) {
        if (isIntrinsic(remote)) findings.push(unresolved('RemoteAccess', why(remote)));
        else findings.push({ message: 'the node group sets RemoteAccess: EKS opens SSH (port 22) to its nodes' });
      }
    }
    findings.push(
      ...launchTemplatePropertyFindings(model, resource, properties, 'KeyName', (keyName, template) =>
        presentBranchValues(keyName).flatMap((choice): RuleFinding[] => {
          const key = literal(choice);
          if (key.known && (key.value === undefined || key.value === '')) return [];
          const keyPairParameter = isKeyPairParameter(model, choice);
          if (!key.known && !model.referencedId(choice) && !keyPairParameter)
            return [unresolved(`KeyName of ${template}`, key.because)];
          const source = key.known
            ? shown(key.value, choice)
            : keyPairParameter
              ? `from parameter ${keyPairParameter}, of type ${KEY_PAIR_PARAMETER_TYPE}: a key pair is always set`
              : `from ${model.referencedId(choice)}`;
          return [{ message: `${template} sets a key pair (KeyName ${source}): nodes accept SSH logins` }];
        }),
      ),
    );
    return findings.length ? findings : COMPLIANT;
  },
};

/** A parameter of this type must name an existing key pair: CloudFormation refuses an empty value. */
export const KEY_PAIR_PARAMETER_TYPE = 'AWS::EC2::KeyPair::KeyName';

/** The parameter a value refers to when its type fixes that a key pair is set. */
export function isKeyPairParameter(model: TemplateModel, value: unknown): string | undefined {
  const parameter = model.parameterOf(value);
  return parameter !== undefined && model.parameters[parameter].Type === KEY_PAIR_PARAMETER_TYPE
    ? parameter
    : undefined;
}
