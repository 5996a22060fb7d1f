import { VERSION_SETTINGS } from '../../lib/catalog/product-version-status';
import release from '../../products/hardened-eks/release.json';
import { decide, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, synthesizeCatalog } from '../support/project-app';
import { onlyResource, removeTemporaryDirectories, resolveIntrinsics } from './catalog-helpers';

/** Retiring versions in the home hub: v1.2.0, v1.1.0 and v1.0.0 are inactive in release.json. IAM for account 111122223333 in eu-west-1. */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const PRODUCT_ID = 'prod-abcdefghijklm';
const productArn = (id: string, account = ACCOUNT) => `arn:aws:catalog:${REGION}:${account}:product/${id}`;

let template: Record<string, any>;
let productLogicalId: string;
let status: any;
let handlerPolicy: PolicyDocument;

beforeAll(() => {
  template = synthesizeCatalog(defaultConfig()).catalog.toJSON();
  [productLogicalId] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
  [, status] = onlyResource(template, 'Custom::ProductVersionStatus');
  const [, handler] = onlyResource(
    template,
    'AWS::Lambda::Function',
    (r) => r.Properties.Description === 'Sets the guidance and active state of product versions',
  );
  const role = template.Resources[handler.Properties.Role['Fn::GetAtt'][0]];
  handlerPolicy = resolveIntrinsics(role.Properties.Policies[0].PolicyDocument, {
    [productLogicalId]: PRODUCT_ID,
    [`${handler.Properties.LoggingConfig.LogGroup.Ref}.Arn`]: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:x:*`,
  });
});

afterAll(() => removeTemporaryDirectories());

test("release.json's inactive v1.2.0, v1.1.0 and v1.0.0 get guidance DEPRECATED and Active false (no launch, no update to them)", () => {
  expect(release.retained).toEqual([
    expect.objectContaining({ name: 'v1.2.0', status: 'inactive' }),
    expect.objectContaining({ name: 'v1.1.0', status: 'inactive' }),
    expect.objectContaining({ name: 'v1.0.0', status: 'inactive' }),
  ]);
  expect(status.Properties).toMatchObject({
    ProductId: { Ref: productLogicalId },
    Versions: [
      { Name: 'v1.2.0', Guidance: 'DEPRECATED', Active: 'false' },
      { Name: 'v1.1.0', Guidance: 'DEPRECATED', Active: 'false' },
      { Name: 'v1.0.0', Guidance: 'DEPRECATED', Active: 'false' },
    ],
    OfferedVersions: ['v1.2.0', 'v1.1.0', 'v1.0.0', release.current.name],
  });
});

test('each status maps to its Service Catalog settings: deprecated keeps the version active for stacks on it, inactive does not', () => {
  expect(VERSION_SETTINGS).toEqual({
    deprecated: { Guidance: 'DEPRECATED', Active: 'true' },
    inactive: { Guidance: 'DEPRECATED', Active: 'false' },
  });
});

test("each retained version keeps its own description in the product (not the current version's)", () => {
  const [, product] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
  expect(product.Properties.ProvisioningArtifactParameters.map((v: any) => [v.Name, v.Description])).toEqual([
    ...release.retained.map((v) => [v.name, v.description]),
    [release.current.name, release.current.description],
  ]);
});

describe("the handler's role", () => {
  const asHandler = (action: string, resourceArn: string) =>
    decide(
      { identityPolicies: [handlerPolicy] },
      { principalArn: `arn:aws:iam::${ACCOUNT}:role/version-status`, action, resourceArn },
    );

  test('may list and update the versions of this product', async () => {
    expect(await asHandler('servicecatalog:ListProvisioningArtifacts', productArn(PRODUCT_ID))).toBe('Allowed');
    expect(await asHandler('servicecatalog:UpdateProvisioningArtifact', productArn(PRODUCT_ID))).toBe('Allowed');
  });

  test("may not update another product's versions, here or in another account", async () => {
    expect(await asHandler('servicecatalog:UpdateProvisioningArtifact', productArn('prod-zzzzzzzzzzzzz'))).toBe(
      'ImplicitlyDenied',
    );
    expect(await asHandler('servicecatalog:UpdateProvisioningArtifact', productArn(PRODUCT_ID, '444455556666'))).toBe(
      'ImplicitlyDenied',
    );
  });

  test.each([
    'servicecatalog:CreateProvisioningArtifact',
    'servicecatalog:DeleteProvisioningArtifact',
    'servicecatalog:UpdateProduct',
    'servicecatalog:DeleteProduct',
  ])('may not change the product otherwise (%s)', async (action) => {
    expect(await asHandler(action, productArn(PRODUCT_ID))).toBe('ImplicitlyDenied');
  });
});
