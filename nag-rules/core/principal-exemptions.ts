import { TemplateModel } from './template-model';
import { conditionEntries, literalStrings, Statement } from './iam-documents';
import { renderText } from './intrinsics';

/*
 * A deny that must hold for everyone but some named principals (a guardrail, a repository or bucket policy): its only
 * condition is an exemption by aws:PrincipalArn, with no wildcard, naming no role of the template it should not.
 */

const PRINCIPAL_EXEMPTIONS = ['arnnotequals', 'arnnotlike', 'stringnotequals', 'stringnotlike'];

/**
 * Why a deny does not hold for everyone but the allowed principals: a condition other than an exemption by
 * aws:PrincipalArn, a wildcard exemption, or an exempted role of the template that is not allowed.
 */
export function exemptionProblems(
  model: TemplateModel,
  statement: Statement,
  allowedRoleIds: readonly string[],
  allowed: string,
): string[] {
  const problems: string[] = [];
  for (const { operator, key, value } of conditionEntries(statement)) {
    if (key !== 'aws:principalarn' || !PRINCIPAL_EXEMPTIONS.includes(operator.toLowerCase())) {
      problems.push(`it holds only under the condition ${operator} ${key}`);
      continue;
    }
    const { values, unknown } = literalStrings(value);
    const texts = [
      ...values,
      ...[value]
        .flat()
        .map((v) => (typeof v === 'string' ? undefined : renderText(v)))
        .filter((t): t is string => t !== undefined),
    ];
    const wild = texts.filter((t) => t.includes('*') || t.includes('?'));
    if (wild.length) problems.push(`it exempts every principal matching ${wild.join(', ')}`);
    const roles = model
      .referencedIds(value)
      .filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role' && !allowedRoleIds.includes(id));
    if (roles.length)
      problems.push(`it exempts ${roles.join(', ')}, which ${roles.length > 1 ? 'are' : 'is'} not ${allowed}`);
    if (unknown.length && texts.length === 0) problems.push(`its exemption is ${unknown[0]}`);
  }
  return problems;
}
