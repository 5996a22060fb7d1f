import { LoadedProduct } from '../catalog/product-loader';
import { ConfigError } from '../config/validation';

/** A product's service control policy, as written to `cdk.out/organization/` and attached by the organization stack. */
export interface ProductServiceControlPolicy {
  /** `<folder>.<file name>`, the file under `cdk.out/organization/`. */
  readonly fileName: string;
  /** The policy's name in AWS Organizations: `<folder>-<file name without .json>`. */
  readonly name: string;
  readonly document: Record<string, unknown>;
}

/** Organizations refuses a service control policy longer than this. */
export const SERVICE_CONTROL_POLICY_MAX_CHARACTERS = 5120;

/** Every configured product's service control policies (`organizationPolicies`), each checked against Organizations' size limit. */
export function productServiceControlPolicies(products: LoadedProduct[]): ProductServiceControlPolicy[] {
  return products.flatMap(({ folder, field, definition, settings }) =>
    Object.entries(definition.organizationPolicies?.(settings) ?? {}).map(([file, document]) => {
      const size = JSON.stringify(document).length;
      if (size > SERVICE_CONTROL_POLICY_MAX_CHARACTERS) {
        throw new ConfigError(
          `${field}.settings`,
          `makes the service control policy ${file} ${size} characters long; ` +
            `AWS Organizations takes at most ${SERVICE_CONTROL_POLICY_MAX_CHARACTERS}: list fewer roles, CIDRs or VPC endpoints`,
        );
      }
      return {
        fileName: `${folder}.${file}`,
        name: `${folder}-${file.replace(/\.json$/, '')}`,
        document: document as Record<string, unknown>,
      };
    }),
  );
}
