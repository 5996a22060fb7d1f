import { decide, expectDecisionOn, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, synthesizeCatalog } from '../support/project-app';
import { onlyResource, removeTemporaryDirectories, resolveIntrinsics, resourcesOfType } from './catalog-helpers';

/**
 * Organization sharing in the hub template: the custom resource with the configured nodes, and its handler's role,
 * evaluated with the IAM simulator for account 111122223333 in eu-west-1.
 */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const PORTFOLIO_ID = 'port-abcdefghijklm';
const portfolioArn = (id: string, account = ACCOUNT, region = REGION) =>
  `arn:aws:catalog:${region}:${account}:portfolio/${id}`;

const config = defaultConfig();
let template: Record<string, any>;
let share: any;
let handlerPolicy: PolicyDocument;
let handlerRoleArn: string;
let trustPolicy: PolicyDocument;

beforeAll(() => {
  template = synthesizeCatalog(config).catalog.toJSON();
  const [portfolioLogicalId] = onlyResource(template, 'AWS::ServiceCatalog::Portfolio');
  [, share] = onlyResource(template, 'Custom::OrganizationPortfolioShare');
  const [handlerLogicalId, handler] = onlyResource(template, 'AWS::Lambda::Function', (r) =>
    r.Properties.Description?.startsWith('Shares the portfolio with organization nodes'),
  );
  const roleLogicalId = handler.Properties.Role['Fn::GetAtt'][0];
  const role = template.Resources[roleLogicalId];
  const logGroupId: string = handler.Properties.LoggingConfig.LogGroup.Ref;
  expect(role.Properties.Policies).toHaveLength(1);
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  handlerPolicy = resolveIntrinsics(role.Properties.Policies[0].PolicyDocument, {
    [portfolioLogicalId]: PORTFOLIO_ID,
    [`${logGroupId}.Arn`]: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:share-handler:*`,
  });
  trustPolicy = role.Properties.AssumeRolePolicyDocument;
  handlerRoleArn = `arn:aws:iam::${ACCOUNT}:role/${handlerLogicalId}Role`;
});

afterAll(() => removeTemporaryDirectories());

const asHandler = (action: string, resourceArn: string) =>
  decide({ identityPolicies: [handlerPolicy] }, { principalArn: handlerRoleArn, action, resourceArn });

describe('the share custom resource', () => {
  test('shares the portfolio with each configured node, by its Organizations node type', () => {
    const [portfolioLogicalId] = onlyResource(template, 'AWS::ServiceCatalog::Portfolio');
    expect(config.shareWithOrganization.length).toBeGreaterThan(0);
    expect(share.Properties.PortfolioId).toEqual({ Ref: portfolioLogicalId });
    expect(share.Properties.OrganizationNodes).toEqual(
      config.shareWithOrganization.map((n) => ({ Type: n.type, Value: n.value })),
    );
  });

  test("is created after the portfolio's TagOptions and principals are associated, so the first share carries them", () => {
    const associations = [
      ...resourcesOfType(template, 'AWS::ServiceCatalog::TagOptionAssociation'),
      ...resourcesOfType(template, 'AWS::ServiceCatalog::PortfolioPrincipalAssociation'),
    ].map(([id]) => id);
    expect(associations.length).toBeGreaterThan(0);
    expect(share.DependsOn).toEqual(expect.arrayContaining(associations));
  });

  test('the built-in configuration shares with an example OU', () => {
    expect(config.shareWithOrganization).toContainEqual({
      type: 'ORGANIZATIONAL_UNIT',
      value: expect.stringMatching(/^ou-/),
    });
  });
});

describe("the share handler's role", () => {
  test('only Lambda may assume it', () => {
    expect(trustPolicy.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test.each([
    'servicecatalog:CreatePortfolioShare',
    'servicecatalog:UpdatePortfolioShare',
    'servicecatalog:DeletePortfolioShare',
  ])('may call %s on this portfolio', async (action) => {
    expect(await asHandler(action, portfolioArn(PORTFOLIO_ID))).toBe('Allowed');
  });

  test("may read a share operation's status (an action without a resource type)", async () => {
    expect(await asHandler('servicecatalog:DescribePortfolioShareStatus', '*')).toBe('Allowed');
  });

  test.each([
    ['another portfolio of the account', portfolioArn('port-zzzzzzzzzzzzz')],
    ['this portfolio ID in another account', portfolioArn(PORTFOLIO_ID, '444455556666')],
    ['this portfolio ID in another region', portfolioArn(PORTFOLIO_ID, ACCOUNT, 'us-west-2')],
  ])('may not share %s', async (_name, arn) => {
    for (const action of [
      'servicecatalog:CreatePortfolioShare',
      'servicecatalog:UpdatePortfolioShare',
      'servicecatalog:DeletePortfolioShare',
    ]) {
      expectDecisionOn(action, await asHandler(action, arn), 'ImplicitlyDenied');
    }
  });

  test.each([
    'servicecatalog:AssociatePrincipalWithPortfolio',
    'servicecatalog:DisassociatePrincipalFromPortfolio',
    'servicecatalog:DeletePortfolio',
    'servicecatalog:UpdatePortfolio',
    'servicecatalog:AcceptPortfolioShare',
  ])('may not change this portfolio otherwise (%s)', async (action) => {
    expect(await asHandler(action, portfolioArn(PORTFOLIO_ID))).toBe('ImplicitlyDenied');
  });

  // These actions have no resource type, so the simulator evaluates them on "*".
  test.each([
    'servicecatalog:AssociateProductWithPortfolio',
    'organizations:EnableAWSServiceAccess',
    'ram:CreateResourceShare',
  ])('may not call %s, which a resource scope would not cover', async (action) => {
    expect(await asHandler(action, '*')).toBe('ImplicitlyDenied');
  });
});
