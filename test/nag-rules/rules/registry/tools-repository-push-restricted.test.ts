import { DEFAULT_DETECTION } from '../../../../products/hardened-eks/settings';
import {
  RESTRICTED_PUSH_ACTIONS,
  ToolsRepositoryPushRestricted,
} from '../../../../nag-rules/rules/registry/tools-repository-push-restricted';
import { check, failures, productTemplate } from '../../rule-harness';
import { messages } from '../../rule-findings';
import { repositoryTemplate } from './fixtures';

const PUBLISHER = 'arn:aws:iam::111122223333:role/ToolsPublisher';
const pushDeny = (exempt: unknown[] = [PUBLISHER], extra: Record<string, unknown> = {}) => ({
  Sid: 'OnlyPublishers',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: [...RESTRICTED_PUSH_ACTIONS],
  Condition: { ArnNotEquals: { 'aws:PrincipalArn': exempt }, ...extra },
});
/** A kube-bench CronJob in manifest M, running an image of repository R. */
const cronJob = {
  Type: 'Custom::AWSCDK-EKS-KubernetesResource',
  Properties: {
    ClusterName: 'c',
    Manifest: {
      'Fn::Join': [
        '',
        [
          '[{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"kube-bench","namespace":"kube-system"},"spec":{"schedule":"0 3 * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"bench","image":"',
          { 'Fn::GetAtt': ['R', 'RepositoryUri'] },
          ':kube-bench-v0.16.0"}]}}}}}}]',
        ],
      ],
    },
  },
};
const withPolicy = (...statements: unknown[]) =>
  repositoryTemplate(
    (p) => {
      p.RepositoryPolicyText.Statement.push(...statements);
    },
    { M: cronJob },
  );

describe('REG-6 ToolsRepositoryPushRestricted', () => {
  test('compliant: the repository a workload runs denies pushes to all but the publisher', () => {
    expect(check(ToolsRepositoryPushRestricted, withPolicy(pushDeny()), 'R').status).toBe('pass');
  });

  test("not applicable: a repository no workload of the template runs (the team's own)", () => {
    expect(check(ToolsRepositoryPushRestricted, repositoryTemplate(), 'R').status).toBe('not-applicable');
  });

  test('non-compliant: only the organization boundary; a wildcard publisher; the kube-bench role as publisher', () => {
    expect(messages(check(ToolsRepositoryPushRestricted, withPolicy(), 'R'))).toEqual(
      RESTRICTED_PUSH_ACTIONS.map(
        (a) =>
          `CronJob kube-system/kube-bench runs images of R, and its policy does not deny ${a} to principals other than the publishers`,
      ),
    );
    expect(
      messages(
        check(ToolsRepositoryPushRestricted, withPolicy(pushDeny(['arn:aws:iam::111122223333:role/*'])), 'R'),
      )[0],
    ).toMatch(
      /its deny of ecr:PutImage does not hold \(it exempts every principal matching arn:aws:iam::111122223333:role\/\*\)/,
    );
    const template = withPolicy(pushDeny([PUBLISHER, { 'Fn::GetAtt': ['BenchRole', 'Arn'] }]));
    template.Resources.BenchRole = { Type: 'AWS::IAM::Role', Properties: {} };
    expect(messages(check(ToolsRepositoryPushRestricted, template, 'R'))[0]).toMatch(
      /it exempts BenchRole, which is not a publisher of images/,
    );
    expect(
      check(
        ToolsRepositoryPushRestricted,
        withPolicy(pushDeny([PUBLISHER], { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } })),
        'R',
      ).status,
    ).toBe('fail');
  });

  test('unresolved: the repository policy is a JSON string built from template values', () => {
    const template = repositoryTemplate(
      (p) => {
        p.RepositoryPolicyText = { 'Fn::Sub': '{"Statement": ${Statements}}' };
      },
      { M: cronJob },
    );
    const result = check(ToolsRepositoryPushRestricted, template, 'R');
    expect(result.findings).toHaveLength(RESTRICTED_PUSH_ACTIONS.length);
    expect(result.findings.every((f) => f.unresolved)).toBe(true);
  });

  test('the real product passes; its security-tools repository fails once the publisher restriction is gone', () => {
    const template = productTemplate();
    expect(failures(ToolsRepositoryPushRestricted, template)).toEqual([]);
    const [toolsId] = Object.entries<any>(template.Resources).find(
      ([, r]) => r.Properties?.RepositoryName === DEFAULT_DETECTION.toolsRepository,
    )!;
    const policy = template.Resources[toolsId].Properties.RepositoryPolicyText;
    policy.Statement = policy.Statement.filter((s: any) => s.Sid !== 'OnlyToolPublishersPush');
    expect(failures(ToolsRepositoryPushRestricted, template).map((e) => [e.logicalId, e.findings.length])).toEqual([
      [toolsId, 5],
    ]);
  });
});
