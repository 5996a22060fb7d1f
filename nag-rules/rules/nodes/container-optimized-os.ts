import { at } from '../../core/intrinsics';
import { NODEGROUP_TYPE, nodeLaunchTemplates } from '../../core/node-launch-templates';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { possibleValues } from '../../core/values';

const OPTIMIZED = /^(AL2023|BOTTLEROCKET)_/i;

/** NOD-5: managed node groups run a container-optimized, current OS: Amazon Linux 2023 or Bottlerocket. */
export const ContainerOptimizedOs: ThreatModelRule = {
  controlId: 'NOD-5',
  threats: ['TH-2', 'AC-3', 'PE-2'],
  level: 'warning',
  kind: 'misconfiguration',
  description: 'Managed node groups set AmiType to an AL2023_* or BOTTLEROCKET_* type',
  explanation:
    'Amazon Linux 2 is at end of support and carries more packages than a node needs; AL2023 and Bottlerocket are ' +
    'minimal, kept patched, and (Bottlerocket) have a read-only root, which limits what a vulnerable package (AC-3) or a ' +
    'container escaping to the host (TH-2, PE-2) can do.',
  resourceTypes: [NODEGROUP_TYPE],
  evaluate({ model, resource, properties }) {
    if (resource.Type !== NODEGROUP_TYPE) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    if (properties.AmiType === undefined) {
      // A launch template with an ImageId makes EKS use that (custom) AMI.
      const lts = nodeLaunchTemplates(model, resource, properties);
      const custom = lts.templates.find(({ data }) => {
        const image = at(data, 'ImageId');
        return !image.known || image.value !== undefined;
      });
      if (custom) return [unresolved('the node OS', `the custom AMI (ImageId) of launch template ${custom.logicalId}`)];
      return [
        {
          message:
            'AmiType is absent: EKS picks its default AMI type for the Kubernetes version (AL2_x86_64 before 1.30): set AL2023_* or BOTTLEROCKET_*',
        },
      ];
    }
    const types = possibleValues(model, properties.AmiType);
    if (!types.known) return [unresolved('AmiType', types.because)];
    for (const type of types.value) {
      if (OPTIMIZED.test(type)) continue;
      if (type.toUpperCase() === 'CUSTOM')
        findings.push(unresolved('the node OS', 'the custom AMI of the launch template (AmiType CUSTOM)'));
      else
        findings.push({ message: `AmiType '${type}' is not a container-optimized OS: use AL2023_* or BOTTLEROCKET_*` });
    }
    return findings.length ? findings : COMPLIANT;
  },
};
