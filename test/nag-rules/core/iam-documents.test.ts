import {
  actionsCovered,
  admitsAnyone,
  awsManagedPolicyName,
  conditionLimits,
  coverageOf,
  coversAction,
  hasCondition,
  literalStrings,
  policiesOfRole,
  statementCovers,
  statementsInEveryCase,
  statementsOf,
  undecided,
} from '../../../nag-rules/core/iam-documents';
import { ReadCache, withReadCache } from '../../../nag-rules/core/read-cache';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const allow = (Action: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
});
const NO_VALUE = { Ref: 'AWS::NoValue' };

describe('statementsOf: the one reader of policy documents', () => {
  test('reads an object, a JSON string and a JSON text joined with template values', () => {
    expect(statementsOf({ Statement: [allow('s3:GetObject')] })).toEqual({
      statements: [allow('s3:GetObject')],
      unreadable: [],
      chosenBy: [],
    });
    expect(statementsOf(JSON.stringify({ Statement: allow('s3:GetObject') })).statements).toEqual([
      allow('s3:GetObject'),
    ]);
    const joined = {
      'Fn::Join': [
        '',
        ['{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, '"}]}'],
      ],
    };
    expect(statementsOf(joined).statements).toEqual([allow('s3:*', { Resource: '${Token:Bucket.Arn}' })]);
  });

  test('follows Fn::If around the document, its Statement list and one statement, and names the choosing condition', () => {
    const document = {
      'Fn::If': [
        'Strict',
        { Statement: [allow('a:A')] },
        {
          Statement: {
            'Fn::If': ['Wide', [allow('b:B')], [allow('c:C'), { 'Fn::If': ['X', allow('d:D'), NO_VALUE] }]],
          },
        },
      ],
    };
    const reading = statementsOf(document);
    expect(reading.statements.map((s) => s.Action)).toEqual(['a:A', 'b:B', 'c:C', 'd:D']);
    expect(reading.unreadable).toEqual([]);
    expect(reading.chosenBy).toEqual(['Strict']);
    expect(undecided(reading)).toBe('the condition Strict choosing the document');
    expect(statementsInEveryCase(reading)).toEqual([]);
    const fixed = statementsOf({ Statement: [allow('a:A')] });
    expect([undecided(fixed), statementsInEveryCase(fixed)]).toEqual([undefined, [allow('a:A')]]);
  });

  test('reports what it cannot read, and keeps what it can', () => {
    expect(statementsOf({ Ref: 'PolicyParameter' })).toEqual({
      statements: [],
      unreadable: ["parameter or resource 'PolicyParameter'"],
      chosenBy: [],
    });
    expect(statementsOf('{').unreadable).toEqual([expect.stringMatching(/^text that is not JSON/)]);
    expect(statementsOf({ 'Fn::Sub': '{"Statement": ${Statements}}' }).unreadable).toEqual([
      "a value Fn::Sub computes at deploy time from 'Statements'",
    ]);
    const partly = statementsOf({ Statement: [allow('a:A'), { Ref: 'Extra' }, 'text'] });
    expect(partly.statements).toEqual([allow('a:A')]);
    expect(partly.unreadable).toEqual([
      "a statement given by parameter or resource 'Extra'",
      'a statement given by "text"',
    ]);
    expect(undecided(partly)).toBe('a statement given by parameter or resource \'Extra\'; a statement given by "text"');
  });

  test('an absent or removed document has no statements and nothing unreadable', () => {
    expect(statementsOf(undefined)).toEqual({ statements: [], unreadable: [], chosenBy: [] });
    expect(statementsOf({ 'Fn::If': ['C', NO_VALUE, { Statement: [] }] })).toEqual({
      statements: [],
      unreadable: [],
      chosenBy: ['C'],
    });
  });
});

describe('statements', () => {
  test('coversAction is three-valued; statementCovers reads literal patterns only', () => {
    expect(coversAction(allow('eks:*'), 'eks:CreateAccessEntry')).toBe('yes');
    expect(coversAction(allow(['s3:*', { Ref: 'More' }]), 'eks:CreateAccessEntry')).toBe('unknown');
    expect(coversAction({ Effect: 'Allow', NotAction: 'iam:*' }, 'eks:CreateAccessEntry')).toBe('yes');
    expect(coversAction({ Effect: 'Allow', NotAction: 'eks:*' }, 'eks:CreateAccessEntry')).toBe('no');
    expect(statementCovers(allow('ECR:Put*'), 'ecr:PutImage')).toBe(true);
    expect(statementCovers({ Effect: 'Deny', NotAction: 'ecr:Get*' }, 'ecr:PutImage')).toBe(true);
  });

  test('coversAction matches case-insensitively, exact patterns of any case and wildcards alike', () => {
    const statement = allow(['EKS:createaccessentry', 'iam:Pass?ole', 's3:GetObject']);
    expect(coversAction(statement, 'eks:CreateAccessEntry')).toBe('yes');
    expect(coversAction(statement, 'iam:PassRole')).toBe('yes');
    expect(coversAction(statement, 's3:GetObjects')).toBe('no');
    expect(coversAction(statement, 's3:PutObject')).toBe('no');
  });

  test('coverageOf answers as coversAction for each action of a list, in order; actionsCovered keeps the yes', () => {
    const actions = ['eks:CreateAccessEntry', 'iam:PassRole', 's3:GetObject', 'eks:DeleteCluster'];
    const statements = [
      allow(['eks:Create*', 'S3:GETOBJECT']),
      allow(['iam:PassRole', { Ref: 'More' }]),
      { Effect: 'Allow', NotAction: ['eks:*'] },
      { Effect: 'Allow', NotAction: [{ Ref: 'More' }] },
    ];
    for (const statement of statements) {
      const expected = actions.map((action) => coversAction(statement, action));
      expect(coverageOf(statement, actions)).toEqual(expected);
      expect(actionsCovered(statement, actions)).toEqual(actions.filter((_, i) => expected[i] === 'yes'));
      // Within an evaluation the answers to a list are remembered per statement (and read-only).
      withReadCache(new ReadCache(), () => {
        const first = coverageOf(statement, actions);
        expect(first).toEqual(expected);
        expect(coverageOf(statement, actions)).toBe(first);
        expect(actions.map((action) => coversAction(statement, action))).toEqual(expected);
      });
    }
    expect(coverageOf(statements[0], actions)).toEqual(['yes', 'no', 'yes', 'no']);
    expect(coverageOf(statements[1], actions)).toEqual(['unknown', 'yes', 'unknown', 'unknown']);
    expect(actionsCovered(statements[2], actions)).toEqual(['iam:PassRole', 's3:GetObject']);
  });

  test('literalStrings splits literal values from the rest, following Fn::If', () => {
    expect(literalStrings(['a', { 'Fn::If': ['C', 'b', { Ref: 'AWS::NoValue' }] }, { Ref: 'P' }])).toEqual({
      values: ['a', 'b'],
      unknown: ["parameter or resource 'P'"],
    });
  });

  test('hasCondition holds only when every branch has one', () => {
    expect(hasCondition(allow('a:A', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))).toBe('yes');
    expect(hasCondition(allow('a:A', { Condition: { 'Fn::If': ['C', { Bool: { x: 'true' } }, NO_VALUE] } }))).toBe(
      'unknown',
    );
    expect(hasCondition(allow('a:A'))).toBe('no');
  });

  test('admitsAnyone and conditionLimits', () => {
    expect([
      admitsAnyone({ Principal: '*' }),
      admitsAnyone({ Principal: { AWS: ['arn:aws:iam::1:root', '*'] } }),
      admitsAnyone({ Principal: { AWS: 'arn:aws:iam::1:root' } }),
      admitsAnyone({ Principal: { AWS: { Ref: 'Who' } } }),
    ]).toEqual(['yes', 'yes', 'no', 'unknown']);
    const keys = ['aws:PrincipalOrgID'];
    expect(conditionLimits({ Condition: { StringEquals: { 'aws:principalorgid': 'o-1' } } }, keys)).toBe('yes');
    expect(conditionLimits({ Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } } }, keys)).toBe('no');
    expect(conditionLimits({ Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } }, keys)).toBe('no');
    expect(conditionLimits({ Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'Org' } } } }, keys)).toBe(
      'unknown',
    );
  });
});

describe('policies of a role', () => {
  const model = new TemplateModel({
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: [allow('a:A')] } }],
          ManagedPolicyArns: [
            { Ref: 'Managed' },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
          ],
        },
      },
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [allow('b:B')] } } },
      Attached: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [allow('c:C')] } },
      },
      Other: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: ['someone-else'], PolicyDocument: { Statement: [allow('d:D')] } },
      },
    },
  });

  test('inline, attached and managed policies of the template, and the managed ARNs outside it', () => {
    const { documents, managedPolicyArns } = policiesOfRole(model, 'Role');
    expect(documents.map((d) => d.where)).toEqual(['inline policy inline of Role', 'Attached', 'Managed']);
    expect(managedPolicyArns).toHaveLength(1);
    expect(awsManagedPolicyName(managedPolicyArns[0])).toEqual({ kind: 'aws', name: 'AmazonSSMManagedInstanceCore' });
    expect(awsManagedPolicyName('arn:aws:iam::111122223333:policy/Team')).toEqual({
      kind: 'other',
      text: 'arn:aws:iam::111122223333:policy/Team',
    });
    expect(awsManagedPolicyName({ Ref: 'PolicyArn' })).toEqual({
      kind: 'unknown',
      because: "parameter or resource 'PolicyArn'",
    });
  });
});
