import {
  InvalidParametersException,
  ListProvisioningArtifactsCommand,
  ResourceNotFoundException,
  ServiceCatalogClient,
  UpdateProvisioningArtifactCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, type ProductVersionStatusProperties } from '../../lib/catalog/product-version-status/handler';

/** The version-status handler against a mocked Service Catalog client. */
const serviceCatalog = mockClient(ServiceCatalogClient);
const PRODUCT = 'prod-abcdefghijklm';
const ARTIFACTS = [
  { Name: 'v1.0.0', Id: 'pa-100' },
  { Name: 'v1.1.0', Id: 'pa-110' },
  { Name: 'v1.2.0', Id: 'pa-120' },
];
const DEPRECATED = { Guidance: 'DEPRECATED', Active: 'true' } as const;
const INACTIVE = { Guidance: 'DEPRECATED', Active: 'false' } as const;

const properties = (...versions: ProductVersionStatusProperties['Versions']): ProductVersionStatusProperties => ({
  ProductId: PRODUCT,
  Versions: versions,
  OfferedVersions: ARTIFACTS.map((a) => a.Name),
});
const updates = () => serviceCatalog.commandCalls(UpdateProvisioningArtifactCommand).map((c) => c.args[0].input);

beforeEach(() => {
  serviceCatalog.reset();
  serviceCatalog.on(ListProvisioningArtifactsCommand).resolves({ ProvisioningArtifactDetails: ARTIFACTS });
  serviceCatalog.on(UpdateProvisioningArtifactCommand).resolves({});
});

test('create: a deprecated version gets guidance DEPRECATED and stays active; an inactive one is deactivated', async () => {
  const result = await handler({
    RequestType: 'Create',
    ResourceProperties: properties({ Name: 'v1.0.0', ...INACTIVE }, { Name: 'v1.1.0', ...DEPRECATED }),
  });

  expect(serviceCatalog.commandCalls(ListProvisioningArtifactsCommand).map((c) => c.args[0].input)).toEqual([
    { ProductId: PRODUCT },
  ]);
  expect(updates()).toEqual([
    { ProductId: PRODUCT, ProvisioningArtifactId: 'pa-100', Guidance: 'DEPRECATED', Active: false },
    { ProductId: PRODUCT, ProvisioningArtifactId: 'pa-110', Guidance: 'DEPRECATED', Active: true },
  ]);
  expect(result).toEqual({ PhysicalResourceId: `${PRODUCT}/version-status` });
});

test('update: a version no longer retired gets its defaults back; the others are set again', async () => {
  await handler({
    RequestType: 'Update',
    PhysicalResourceId: `${PRODUCT}/version-status`,
    ResourceProperties: properties({ Name: 'v1.1.0', ...DEPRECATED }),
    OldResourceProperties: properties({ Name: 'v1.0.0', ...INACTIVE }, { Name: 'v1.1.0', ...DEPRECATED }),
  });

  expect(updates()).toEqual([
    { ProductId: PRODUCT, ProvisioningArtifactId: 'pa-110', Guidance: 'DEPRECATED', Active: true },
    { ProductId: PRODUCT, ProvisioningArtifactId: 'pa-100', Guidance: 'DEFAULT', Active: true },
  ]);
});

test('update: a dropped version that the product no longer has is skipped', async () => {
  await handler({
    RequestType: 'Update',
    PhysicalResourceId: 'x',
    ResourceProperties: properties({ Name: 'v1.1.0', ...DEPRECATED }),
    OldResourceProperties: properties({ Name: 'v0.9.0', ...INACTIVE }),
  });

  expect(updates().map((u) => u.ProvisioningArtifactId)).toEqual(['pa-110']);
});

test('delete: every listed version gets its defaults back', async () => {
  const result = await handler({
    RequestType: 'Delete',
    PhysicalResourceId: `${PRODUCT}/version-status`,
    ResourceProperties: properties({ Name: 'v1.0.0', ...INACTIVE }),
  });

  expect(updates()).toEqual([
    { ProductId: PRODUCT, ProvisioningArtifactId: 'pa-100', Guidance: 'DEFAULT', Active: true },
  ]);
  expect(result.PhysicalResourceId).toBe(`${PRODUCT}/version-status`);
});

test('delete: a product that is already gone has nothing to restore', async () => {
  serviceCatalog
    .on(ListProvisioningArtifactsCommand)
    .rejects(new ResourceNotFoundException({ message: 'Product not found', $metadata: {} }));

  await expect(
    handler({
      RequestType: 'Delete',
      PhysicalResourceId: 'x',
      ResourceProperties: properties({ Name: 'v1.0.0', ...DEPRECATED }),
    }),
  ).resolves.toBeDefined();
  expect(updates()).toEqual([]);
});

test('a version the product does not have fails the deployment, naming the versions it has', async () => {
  await expect(
    handler({ RequestType: 'Create', ResourceProperties: properties({ Name: 'v0.9.0', ...DEPRECATED }) }),
  ).rejects.toThrow(`Product ${PRODUCT} has no version v0.9.0 (it has v1.0.0, v1.1.0, v1.2.0)`);
  expect(updates()).toEqual([]);
});

test("an error of UpdateProvisioningArtifact fails the deployment with AWS's text", async () => {
  serviceCatalog.on(UpdateProvisioningArtifactCommand).rejects(
    new InvalidParametersException({
      message: 'The default provisioning artifact cannot be deactivated',
      $metadata: {},
    }),
  );

  await expect(
    handler({ RequestType: 'Create', ResourceProperties: properties({ Name: 'v1.2.0', ...INACTIVE }) }),
  ).rejects.toThrow('The default provisioning artifact cannot be deactivated');
});
