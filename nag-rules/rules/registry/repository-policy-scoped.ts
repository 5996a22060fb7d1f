import { admitsAnyone, conditionLimits, statementsOf, undecided } from '../../core/iam-documents';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { REPOSITORY } from './scan-on-push';

/** Condition keys that limit a principal to an account or organization. */
export const PRINCIPAL_OWNER_KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalAccount', 'aws:PrincipalOrgPaths'];

/** REG-5: repository (and registry) policies admit no one outside the account or organization. */
export const RepositoryPolicyScoped: ThreatModelRule = {
  controlId: 'REG-5',
  threats: ['TH-2', 'EX-2', 'PV-6'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'ECR repository and registry policies have no Allow to Principal * (or AWS *) or NotPrincipal without a ' +
    'condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalOrgPaths; no public repositories',
  explanation:
    "A policy that allows everyone lets anyone pull the team's images (EX-2) or, with push actions, plant their " +
    'own (TH-2); the registry must stay private and authenticated (PV-6). Deny statements only narrow access and are fine.',
  resourceTypes: [REPOSITORY, 'AWS::ECR::RegistryPolicy', 'AWS::ECR::PublicRepository'],
  evaluate({ resource, properties }) {
    if (resource.Type === 'AWS::ECR::PublicRepository')
      return [{ message: 'a public ECR repository: anyone on the internet can pull its images' }];
    const text = resource.Type === REPOSITORY ? properties.RepositoryPolicyText : properties.PolicyText;
    if (text === undefined) return COMPLIANT;
    const reading = statementsOf(text);
    const unknown = undecided(reading);
    if (unknown) return [unresolved('the policy', unknown)];
    const findings: RuleFinding[] = [];
    reading.statements.forEach((statement, i) => {
      if (statement.Effect !== 'Allow') return;
      const label = statement.Sid ? `statement ${String(statement.Sid)}` : `statement ${i}`;
      const anyone = statement.NotPrincipal !== undefined ? 'yes' : admitsAnyone(statement);
      if (anyone === 'no') return;
      const limited = conditionLimits(statement, PRINCIPAL_OWNER_KEYS);
      if (limited === 'yes') return;
      if (anyone === 'unknown' || limited === 'unknown') {
        findings.push(unresolved(`who ${label} allows`, 'a principal or condition value only known at deploy time'));
      } else {
        const open = statement.NotPrincipal !== undefined ? 'NotPrincipal (everyone else)' : 'Principal *';
        findings.push({
          message: `${label} allows ${open} without a condition on ${PRINCIPAL_OWNER_KEYS.join(', ')}: anyone can use the repository`,
        });
      }
    });
    return findings.length ? findings : COMPLIANT;
  },
};
