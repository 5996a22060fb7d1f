/**
 * Custom resource handler (CDK provider framework, onEvent): sets how consumers may use a product's versions,
 * which CloudFormation cannot set: Guidance DEPRECATED (no new launches, updates still possible) or Active false.
 * Versions no longer listed, and all of them on delete, get their defaults back.
 */
import {
  ListProvisioningArtifactsCommand,
  ServiceCatalogClient,
  UpdateProvisioningArtifactCommand,
} from '@aws-sdk/client-service-catalog';

/** How one version is offered (CloudFormation passes every value as a string). */
export interface VersionSetting {
  readonly Name: string;
  readonly Guidance: 'DEFAULT' | 'DEPRECATED';
  readonly Active: 'true' | 'false';
}

export interface ProductVersionStatusProperties {
  readonly ProductId: string;
  readonly Versions: VersionSetting[];
  /** Every version of the product: a release changes it, so the settings are applied again after the product's update. */
  readonly OfferedVersions: string[];
}

export interface ProductVersionStatusEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: ProductVersionStatusProperties;
  readonly OldResourceProperties?: ProductVersionStatusProperties;
}

const client = new ServiceCatalogClient({});

export async function handler(event: ProductVersionStatusEvent): Promise<{ PhysicalResourceId: string }> {
  const props = event.ResourceProperties;
  const physicalId = `${props.ProductId}/version-status`;
  if (event.RequestType === 'Delete') {
    await restoreDefaults(
      props.ProductId,
      props.Versions.map((v) => v.Name),
    );
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
  }
  const ids = await versionIds(props.ProductId);
  for (const version of props.Versions) {
    const id = ids.get(version.Name);
    if (!id)
      throw new Error(
        `Product ${props.ProductId} has no version ${version.Name} (it has ${[...ids.keys()].join(', ') || 'none'})`,
      );
    await update(props.ProductId, id, version.Guidance, version.Active === 'true');
  }
  const old =
    event.RequestType === 'Update' && event.OldResourceProperties?.ProductId === props.ProductId
      ? event.OldResourceProperties.Versions
      : [];
  const released = old.filter((o) => !props.Versions.some((v) => v.Name === o.Name)).map((o) => o.Name);
  await restoreDefaults(props.ProductId, released, ids);
  return { PhysicalResourceId: physicalId };
}

/** Versions that still exist get the defaults back; a version or product already gone has nothing to restore. */
async function restoreDefaults(productId: string, names: string[], known?: Map<string, string>): Promise<void> {
  if (names.length === 0) return;
  let ids = known;
  if (!ids) {
    try {
      ids = await versionIds(productId);
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return;
      throw error;
    }
  }
  for (const name of names) {
    const id = ids.get(name);
    if (id) await update(productId, id, 'DEFAULT', true);
  }
}

async function versionIds(productId: string): Promise<Map<string, string>> {
  const listed = await client.send(new ListProvisioningArtifactsCommand({ ProductId: productId }));
  return new Map((listed.ProvisioningArtifactDetails ?? []).filter((a) => a.Name && a.Id).map((a) => [a.Name!, a.Id!]));
}

async function update(
  productId: string,
  provisioningArtifactId: string,
  guidance: 'DEFAULT' | 'DEPRECATED',
  active: boolean,
): Promise<void> {
  await client.send(
    new UpdateProvisioningArtifactCommand({
      ProductId: productId,
      ProvisioningArtifactId: provisioningArtifactId,
      Guidance: guidance,
      Active: active,
    }),
  );
}
