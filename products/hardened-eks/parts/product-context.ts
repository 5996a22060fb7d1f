import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ProductKeys } from '../../../lib/cluster/product-keys';
import { ConstructValidationError } from '../../../lib/errors/construct-validation-error';
import { roleArnOfThisAccount } from '../../../lib/identity/role-of-this-account';
import { ProductParameters } from '../parameters';
import { HardenedEksSettings } from '../settings';

/** A part of the product: built once from the shared context, it exposes what later parts need as named fields. */
export type ProductPartType<Part extends object> = new (context: HardenedEksProductContext) => Part;

export interface HardenedEksProductContextProps {
  readonly settings: HardenedEksSettings;
  readonly parameters: ProductParameters;
  readonly organizationId: string;
  /** Name of the Service Catalog launch role: the only deployer of the product's guarded resources. */
  readonly launchRoleName: string;
  readonly keys: ProductKeys;
}

/**
 * What every part of the hardened EKS product receives: the stack to build in, the platform's settings, the consumer's
 * launch parameters, the product's keys and the parts built before it.
 */
export class HardenedEksProductContext {
  readonly settings: HardenedEksSettings;
  readonly parameters: ProductParameters;
  readonly organizationId: string;
  readonly launchRoleArn: string;
  readonly keys: ProductKeys;
  readonly logRetention: logs.RetentionDays;
  private readonly built = new Map<ProductPartType<object>, object>();
  private building: string | undefined;

  /**
   * @param stack where the parts build their constructs: directly in the stack, since the construct paths are the
   * released templates' logical IDs
   */
  constructor(
    readonly stack: Stack,
    props: HardenedEksProductContextProps,
  ) {
    this.settings = props.settings;
    this.parameters = props.parameters;
    this.organizationId = props.organizationId;
    this.launchRoleArn = roleArnOfThisAccount(props.launchRoleName);
    this.keys = props.keys;
    this.logRetention = props.settings.logRetentionDays as logs.RetentionDays;
  }

  /** Builds a part (once); the parts it asks for with `part()` must be built before it. */
  add<Part extends object>(type: ProductPartType<Part>): Part {
    if (this.built.has(type)) throw new ConstructValidationError(this.stack, 'parts', `must list ${type.name} once`);
    this.building = type.name;
    const part = new type(this);
    this.built.set(type, part);
    this.building = undefined;
    return part;
  }

  /** A part built before the one being built. */
  part<Part extends object>(type: ProductPartType<Part>): Part {
    const part = this.built.get(type);
    if (!part) {
      throw new ConstructValidationError(
        this.stack,
        'parts',
        `must list ${type.name} before ${this.building ?? 'its first use'}, which needs it`,
      );
    }
    return part as Part;
  }
}
