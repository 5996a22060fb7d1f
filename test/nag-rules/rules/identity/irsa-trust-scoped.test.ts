import { IrsaTrustScoped } from '../../../../nag-rules/rules/identity/irsa-trust-scoped';
import { check, checkSole, failures, idsOfType, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
const PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;
const role = (condition: unknown, federated: unknown = PROVIDER_ARN) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: federated },
          Condition: condition,
        },
      ],
    },
  },
});
const scoped = {
  StringEquals: {
    [`${ISSUER}:sub`]: 'system:serviceaccount:kube-system:aws-node',
    [`${ISSUER}:aud`]: 'sts.amazonaws.com',
  },
};

/** A template shaped like CDK's output: the condition object comes from a Custom::AWSCDKCfnJson whose Value is a joined JSON string. */
function cfnJsonTemplate(body: string[], operator = 'StringEquals') {
  const issuer = { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { Ref: 'Provider' }] }] };
  const parts = body.flatMap((piece, i) => (i === 0 ? [piece] : [issuer, piece]));
  return templateOf({
    Provider: { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: 'https://x', ClientIdList: ['sts.amazonaws.com'] } },
    Conditions: { Type: 'Custom::AWSCDKCfnJson', Properties: { Value: { 'Fn::Join': ['', parts] } } },
    R: role({ [operator]: { 'Fn::GetAtt': ['Conditions', 'Value'] } }, { Ref: 'Provider' }),
  });
}

describe('IDN-2 IrsaTrustScoped', () => {
  test('compliant: StringEquals on :sub (one service account) and :aud', () => {
    expect(checkSole(IrsaTrustScoped, { R: role(scoped) }).status).toBe('pass');
  });
  test('compliant: conditions rendered through Custom::AWSCDKCfnJson are followed', () => {
    const template = cfnJsonTemplate([
      '{"',
      ':sub":"system:serviceaccount:kube-system:aws-node","',
      ':aud":"sts.amazonaws.com"}',
    ]);
    expect(check(IrsaTrustScoped, template, 'R').status).toBe('pass');
  });
  test('non-compliant: StringLike with a wildcard service account', () => {
    const result = checkSole(IrsaTrustScoped, {
      R: role({
        StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:*:*' },
        StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
      }),
    });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      {
        message:
          'the web-identity statement has no StringEquals on <issuer>:sub (it uses StringLike, which admits wildcards)',
      },
    ]);
  });
  test('non-compliant: no condition at all; missing :aud; a wildcard or two service accounts in :sub', () => {
    expect(checkSole(IrsaTrustScoped, { R: role(undefined) }).findings).toHaveLength(2);
    const noAud = checkSole(IrsaTrustScoped, {
      R: role({ StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:a:b' } }),
    });
    expect(messageLines(noAud)).toMatch(/no StringEquals on <issuer>:aud/);
    const wildcard = checkSole(IrsaTrustScoped, {
      R: role({ StringEquals: { ...scoped.StringEquals, [`${ISSUER}:sub`]: 'system:serviceaccount:kube-system:*' } }),
    });
    expect(messageLines(wildcard)).toMatch(/not one system:serviceaccount:<namespace>:<name>/);
    const two = checkSole(IrsaTrustScoped, {
      R: role({
        StringEquals: {
          ...scoped.StringEquals,
          [`${ISSUER}:sub`]: ['system:serviceaccount:a:b', 'system:serviceaccount:a:c'],
        },
      }),
    });
    expect(messageLines(two)).toMatch(/trusts 2 service accounts/);
  });
  test('non-compliant: a CfnJson condition with StringLike, or conditions naming another issuer', () => {
    const like = cfnJsonTemplate(
      ['{"', ':sub":"system:serviceaccount:*","', ':aud":"sts.amazonaws.com"}'],
      'StringLike',
    );
    expect(check(IrsaTrustScoped, like, 'R').status).toBe('fail');
    const other = checkSole(IrsaTrustScoped, {
      R: role({
        StringEquals: {
          'oidc.eks.eu-west-1.amazonaws.com/id/OTHER:sub': 'system:serviceaccount:a:b',
          'oidc.eks.eu-west-1.amazonaws.com/id/OTHER:aud': 'sts.amazonaws.com',
        },
      }),
    });
    expect(messageLines(other)).toMatch(
      /trusts oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/ABC but its conditions are on/,
    );
  });
  test('not applicable: service principals and public web-identity providers', () => {
    const service = templateOf({
      R: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
          },
        },
      },
    });
    expect(check(IrsaTrustScoped, service, 'R').status).toBe('not-applicable');
    expect(checkSole(IrsaTrustScoped, { R: role(undefined, 'cognito-identity.amazonaws.com') }).status).toBe(
      'not-applicable',
    );
  });
  test('unresolved: a condition block from a parameter, a namespace from a parameter, an unreadable CfnJson', () => {
    const block = checkSole(IrsaTrustScoped, { R: role({ StringEquals: { Ref: 'Conditions' } }) });
    expect(block.findings.every((f) => f.unresolved)).toBe(true);
    expect(block.findings).toHaveLength(2);
    const namespace = checkSole(IrsaTrustScoped, {
      R: role({
        StringEquals: { ...scoped.StringEquals, [`${ISSUER}:sub`]: { 'Fn::Sub': 'system:serviceaccount:${Ns}:app' } },
      }),
    });
    expect(namespace.findings).toEqual([unresolvedFinding()]);
    const broken = cfnJsonTemplate(['{"', ':sub":']);
    expect(check(IrsaTrustScoped, broken, 'R').findings[0]).toEqual(unresolvedFinding(/not JSON/));
  });
  test("non-compliant: a namespace's default service account (every pod there that names none), in a template and in the real product", () => {
    const result = checkSole(IrsaTrustScoped, {
      R: role({
        StringEquals: { ...scoped.StringEquals, [`${ISSUER}:sub`]: 'system:serviceaccount:workloads:default' },
      }),
    });
    expect(messageLines(result)).toMatch(
      /'system:serviceaccount:workloads:default', a namespace's default service account/,
    );
    const product = productTemplate();
    const cfnJson = productIdOf(product, 'Custom::AWSCDKCfnJson', 'KubeBenchServiceAccountConditionJson');
    const parts: unknown[] = product.Resources[cfnJson].Properties.Value['Fn::Join'][1];
    const sub = parts.findIndex(
      (p) => typeof p === 'string' && p.includes('system:serviceaccount:kube-system:kube-bench'),
    );
    parts[sub] = (parts[sub] as string).replace('kube-system:kube-bench', 'kube-system:default');
    const roleId = idsOfType(product, 'AWS::IAM::Role').find((id) =>
      JSON.stringify(product.Resources[id].Properties.AssumeRolePolicyDocument).includes(cfnJson),
    )!;
    const failed = failures(IrsaTrustScoped, product);
    expect(failed.map((e) => e.logicalId)).toEqual([roleId]);
    expect(failed[0].findings[0].message).toMatch(/default service account/);
  });
  test('the real product passes, and fails on the VPC CNI role once its trust uses StringLike or drops :aud', () => {
    const product = productTemplate();
    expect(failures(IrsaTrustScoped, product)).toEqual([]);
    const [cfnJson] = idsOfType(product, 'Custom::AWSCDKCfnJson');
    const roleId = idsOfType(product, 'AWS::IAM::Role').find((id) =>
      JSON.stringify(product.Resources[id].Properties.AssumeRolePolicyDocument).includes(cfnJson),
    )!;
    const like = productTemplate();
    const statement = like.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement[0];
    statement.Condition = { StringLike: statement.Condition.StringEquals };
    expect(failures(IrsaTrustScoped, like).map((e) => e.logicalId)).toEqual([roleId]);
    const noAudience = productTemplate();
    const parts: unknown[] = noAudience.Resources[cfnJson].Properties.Value['Fn::Join'][1];
    const sub = parts.findIndex((p) => typeof p === 'string' && p.startsWith(':sub'));
    parts.splice(sub, parts.length - sub, (parts[sub] as string).replace(/,"$/, '}'));
    const failed = failures(IrsaTrustScoped, noAudience);
    expect(failed.map((e) => e.logicalId)).toEqual([roleId]);
    expect(failed[0].findings[0].message).toMatch(/no StringEquals on <issuer>:aud/);
  });
});
