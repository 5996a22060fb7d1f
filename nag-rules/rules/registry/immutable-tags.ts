import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { literal } from '../../core/values';
import { REPOSITORY } from './scan-on-push';

const IMMUTABLE = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/** REG-2: image tags cannot be overwritten. */
export const ImmutableTags: ThreatModelRule = {
  controlId: 'REG-2',
  threats: ['TH-2', 'PE-1', 'AC-2'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'ECR repositories set ImageTagMutability to IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION)',
  explanation:
    'With mutable tags, whoever can push replaces a trusted tag with a backdoored image (PE-1, AC-2) and every node ' +
    "that pulls it next runs the attacker's code (TH-2).",
  resourceTypes: [REPOSITORY],
  evaluate({ properties }) {
    const mutability = literal(properties.ImageTagMutability);
    if (!mutability.known) return [unresolved('ImageTagMutability', mutability.because)];
    if (typeof mutability.value === 'string' && IMMUTABLE.includes(mutability.value)) return COMPLIANT;
    return [
      {
        message: `image tags can be overwritten (ImageTagMutability is ${mutability.value === undefined ? 'absent: MUTABLE' : `'${String(mutability.value)}'`})`,
      },
    ];
  },
};
