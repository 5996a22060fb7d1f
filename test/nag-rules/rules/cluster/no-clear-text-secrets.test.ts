import {
  findSecrets,
  fromRe2,
  secretRuleCount,
  shannonEntropy,
  uncompiledSecretRules,
} from '../../../../nag-rules/core/secret-patterns';
import { NoClearTextSecrets } from '../../../../nag-rules/rules/cluster/no-clear-text-secrets';
import * as gitleaks from '../../../../nag-rules/data/gitleaks-rules.json';
import { check, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';

/** Test keys built at run time, so that the repository holds no string a secret scanner would flag. */
const ACCESS_KEY = ['AKIA', 'Z4RTYPLQ', '2MNB7XWE'].join('');
const GITHUB_TOKEN = ['ghp_', 'Z9y8X7w6V5u4T3s2R1q0', 'P9o8N7m6L5k4J3i2'].join('');

describe("gitleaks' rule set", () => {
  test('the data file names its source and version, and every content rule runs in JavaScript', () => {
    expect(gitleaks.version).toMatch(/^v8\.\d+\.\d+$/);
    expect(gitleaks.source).toBe(`https://github.com/gitleaks/gitleaks/blob/${gitleaks.version}/config/gitleaks.toml`);
    expect(uncompiledSecretRules()).toEqual([]);
    expect(secretRuleCount()).toBe(gitleaks.rules.filter((r: { regex?: string }) => r.regex !== undefined).length);
    expect(secretRuleCount()).toBeGreaterThan(200);
  });
  test("RE2 spellings become JavaScript ones; entropy is Shannon's", () => {
    expect(fromRe2('(?i)abc').test('ABC')).toBe(true);
    expect(fromRe2('x(?i:abc)\\z').test('xABC')).toBe(true);
    expect(fromRe2('[[:alnum:]]+').test('a1')).toBe(true);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
  test('finds AWS keys, tokens and passwords; allowlisted examples and low-entropy values pass', () => {
    expect(findSecrets(`aws_access_key_id=${ACCESS_KEY}`).map((s) => s.ruleId)).toEqual(['aws-access-token']);
    expect(findSecrets(`GITHUB_TOKEN=${GITHUB_TOKEN}`).map((s) => s.ruleId)).toContain('github-pat');
    expect(findSecrets('aws_access_key_id=AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(findSecrets('password=aaaaaaaaaaaaaaaa')).toEqual([]);
  });
});

describe('CLU-12 NoClearTextSecrets', () => {
  const fn = (variables: Record<string, unknown>) =>
    templateOf({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: 'index.handler', Environment: { Variables: variables } },
      },
    });
  test('compliant: references to Secrets Manager, values from resources', () => {
    expect(check(NoClearTextSecrets, fn({ DB_SECRET_ARN: { Ref: 'Secret' }, TABLE: 'orders' }), 'Fn').status).toBe(
      'pass',
    );
  });
  test('non-compliant: a Lambda environment, a container env in a manifest, a Kubernetes Secret, user data, a parameter default', () => {
    expect(messages(check(NoClearTextSecrets, fn({ AWS_ACCESS_KEY_ID: ACCESS_KEY }), 'Fn'))).toEqual([
      'Properties.Environment.Variables.AWS_ACCESS_KEY_ID holds a aws-access-token secret in clear text (AKIA… (20 characters); gitleaks rule aws-access-token)',
    ]);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'GITHUB_TOKEN', value: GITHUB_TOKEN }] }] },
    };
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'a' },
      data: { token: Buffer.from(`aws_access_key_id=${ACCESS_KEY}`).toString('base64') },
    };
    const manifests = templateOf({
      M: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: JSON.stringify([pod, secret]) } },
    });
    expect(messages(check(NoClearTextSecrets, manifests, 'M'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Properties\.Manifest holds a github-pat secret/),
        'manifest object Secret a/s carries literal values (data.token): a Secret in the template is readable by everyone who can read the stack; reference Secrets Manager instead',
        expect.stringMatching(/^manifest object Secret a\/s data\.token \(decoded\) holds a aws-access-token secret/),
      ]),
    );
    const userData = templateOf({
      LT: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            UserData: Buffer.from(`#!/bin/bash\nexport AWS_ACCESS_KEY_ID=${ACCESS_KEY}\n`).toString('base64'),
          },
        },
      },
    });
    expect(messages(check(NoClearTextSecrets, userData, 'LT'))).toContain(
      'part 1 (text/x-shellscript) of the decoded user data holds a aws-access-token secret in clear text (AKIA… (20 characters); gitleaks rule aws-access-token)',
    );
    const parameter = templateOf(
      {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { KEY: { Ref: 'AccessKey' } } } },
        },
      },
      { Parameters: { AccessKey: { Type: 'String', Default: ACCESS_KEY } } },
    );
    expect(check(NoClearTextSecrets, parameter, 'Fn').findings[0].message).toMatch(
      /^the default of parameter AccessKey holds a aws-access-token secret/,
    );
  });
  test('unresolved: user data that cannot be read is never silently clean', () => {
    const opaque = templateOf({
      I: { Type: 'AWS::EC2::Instance', Properties: { UserData: { 'Fn::GetAtt': ['X', 'Y'] } } },
    });
    const result = check(NoClearTextSecrets, opaque, 'I');
    expect(result.status).toBe('pass');
    const broken = templateOf({ I: { Type: 'AWS::EC2::Instance', Properties: { UserData: 12 } } });
    expect(check(NoClearTextSecrets, broken, 'I').findings).toEqual([unresolvedFinding()]);
  });
  test('the real product (every region) passes, and fails on the responder once a key is written into its environment', () => {
    const template = productTemplate();
    expect(failures(NoClearTextSecrets, template)).toEqual([]);
    const fnId = productIdOf(template, 'AWS::Lambda::Function', 'KubernetesResponderFunction');
    template.Resources[fnId].Properties.Environment.Variables.AWS_ACCESS_KEY_ID = ACCESS_KEY;
    expect(failures(NoClearTextSecrets, template).map((e) => e.logicalId)).toEqual([fnId]);
  });
});
