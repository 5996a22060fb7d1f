import { RepositoryPolicyScoped } from '../../../../nag-rules/rules/registry/repository-policy-scoped';
import { check, failures, productTemplate, templateOf, unresolvedFinding } from '../../rule-harness';
import { productRepository, repositoryTemplate } from './fixtures';

describe('REG-5 RepositoryPolicyScoped', () => {
  test('compliant: Allow to * limited to the organization; no policy; Deny statements; a JSON-string policy', () => {
    expect(check(RepositoryPolicyScoped, repositoryTemplate(), 'R').status).toBe('pass');
    expect(
      check(
        RepositoryPolicyScoped,
        repositoryTemplate((p) => {
          delete p.RepositoryPolicyText;
        }),
        'R',
      ).status,
    ).toBe('pass');
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
    expect(
      check(
        RepositoryPolicyScoped,
        repositoryTemplate((p) => {
          p.RepositoryPolicyText = JSON.stringify(deny);
        }),
        'R',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: Allow to * without a principal condition, or with a negative one', () => {
    const open = { Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] };
    expect(
      check(
        RepositoryPolicyScoped,
        repositoryTemplate((p) => {
          p.RepositoryPolicyText = open;
        }),
        'R',
      ).findings,
    ).toEqual([
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
    expect(
      check(
        RepositoryPolicyScoped,
        repositoryTemplate((p) => {
          p.RepositoryPolicyText = negative;
        }),
        'R',
      ).status,
    ).toBe('fail');
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
    const chosen = check(
      RepositoryPolicyScoped,
      repositoryTemplate((p) => {
        p.RepositoryPolicyText = { 'Fn::If': ['Open', { Statement: [] }, { Statement: [] }] };
      }),
      'R',
    );
    expect(chosen.findings[0]).toMatchObject({ unresolved: true });
    expect(
      check(
        RepositoryPolicyScoped,
        repositoryTemplate((p) => {
          p.RepositoryPolicyText = '{';
        }),
        'R',
      ).findings[0],
    ).toMatchObject({ unresolved: true, message: expect.stringMatching(/not JSON/) });
  });
  test('the real product passes, and fails on its repository once its Deny becomes an Allow', () => {
    const template = productTemplate();
    expect(failures(RepositoryPolicyScoped, template)).toEqual([]);
    const repository = productRepository(template);
    const [statement] = template.Resources[repository].Properties.RepositoryPolicyText.Statement;
    statement.Effect = 'Allow';
    expect(failures(RepositoryPolicyScoped, template).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [repository, expect.stringMatching(/allows Principal \*/)],
    ]);
  });
  test('unresolved: a principal or an organization condition only known at deploy time', () => {
    const fromParameter = repositoryTemplate((p) => {
      p.RepositoryPolicyText = {
        Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'Puller' } }, Action: 'ecr:BatchGetImage' }],
      };
    });
    expect(check(RepositoryPolicyScoped, fromParameter, 'R').findings).toEqual([unresolvedFinding()]);
    const orgFromParameter = repositoryTemplate((p) => {
      p.RepositoryPolicyText = {
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'ecr:BatchGetImage',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'Org' } } },
          },
        ],
      };
    });
    expect(check(RepositoryPolicyScoped, orgFromParameter, 'R').findings).toEqual([unresolvedFinding()]);
  });
});
