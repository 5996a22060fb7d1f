import { RepositoryPolicyScoped } from '../../../../nag-rules/rules/registry/repository-policy-scoped';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';
import { checkRepository, productWithRepository } from './fixtures';

/** RepositoryPolicyScoped on a repository with the policy (none when undefined). */
const withPolicy = (policy: unknown) =>
  checkRepository(RepositoryPolicyScoped, (p) => {
    if (policy === undefined) delete p.RepositoryPolicyText;
    else p.RepositoryPolicyText = policy;
  });

describe('REG-5 RepositoryPolicyScoped', () => {
  test('compliant: Allow to * limited to the organization; no policy; Deny statements; a JSON-string policy', () => {
    expect(checkRepository(RepositoryPolicyScoped).status).toBe('pass');
    expect(withPolicy(undefined).status).toBe('pass');
    const deny = {
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'ecr:*',
          Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
        },
      ],
    };
    expect(withPolicy(JSON.stringify(deny)).status).toBe('pass');
  });
  test('non-compliant: Allow to * without a principal condition, or with a negative one', () => {
    const open = { Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] };
    expect(withPolicy(open).findings).toEqual([
      {
        message:
          'statement Pull allows Principal * without a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalOrgPaths: anyone can use the repository',
      },
    ]);
    const negative = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['*'] },
          Action: 'ecr:*',
          Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
        },
      ],
    };
    expect(withPolicy(negative).status).toBe('fail');
  });
  test('non-compliant: an open registry policy and a public repository', () => {
    const registry = templateOf({
      P: {
        Type: 'AWS::ECR::RegistryPolicy',
        Properties: {
          PolicyText: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:ReplicateImage' }] },
        },
      },
    });
    expect(check(RepositoryPolicyScoped, registry, 'P').status).toBe('fail');
    const publicRepository = templateOf({ P: { Type: 'AWS::ECR::PublicRepository', Properties: {} } });
    expect(check(RepositoryPolicyScoped, publicRepository, 'P').findings[0].message).toMatch(/public ECR repository/);
  });
  test('unresolved: a policy chosen by Fn::If, or policy text that is not JSON', () => {
    const chosen = withPolicy({ 'Fn::If': ['Open', { Statement: [] }, { Statement: [] }] });
    expect(chosen.findings[0]).toEqual(unresolvedFinding());
    expect(withPolicy('{').findings[0]).toEqual(unresolvedFinding(/not JSON/));
  });
  test('the real product passes, and fails on its repository once its Deny becomes an Allow', () => {
    expect(failures(RepositoryPolicyScoped, productTemplate())).toEqual([]);
    const { template, repository } = productWithRepository((p) => {
      p.RepositoryPolicyText.Statement[0].Effect = 'Allow';
    });
    expect(failures(RepositoryPolicyScoped, template).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [repository, expect.stringMatching(/allows Principal \*/)],
    ]);
  });
  test('unresolved: a principal or an organization condition only known at deploy time', () => {
    const fromParameter = withPolicy({
      Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'Puller' } }, Action: 'ecr:BatchGetImage' }],
    });
    expect(fromParameter.findings).toEqual([unresolvedFinding()]);
    const orgFromParameter = withPolicy({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'ecr:BatchGetImage',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'Org' } } },
        },
      ],
    });
    expect(orgFromParameter.findings).toEqual([unresolvedFinding()]);
  });
});
