import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProductKeys } from '../../lib/cluster/product-keys';
import { ConstructValidationError } from '../../lib/errors/construct-validation-error';
import { ProductParameters } from '../../products/hardened-eks/parameters';
import { ClusterPart } from '../../products/hardened-eks/parts/cluster-part';
import { HardenedEksProductContext } from '../../products/hardened-eks/parts/product-context';
import { defaultSettings } from '../support/project-app';
import { thrownError } from '../support/thrown-error';

class Foundation {
  readonly construct: Construct;
  constructor(context: HardenedEksProductContext) {
    this.construct = new Construct(context.stack, 'Foundation');
  }
}

class Building {
  readonly foundation: Foundation;
  readonly construct: Construct;
  constructor(context: HardenedEksProductContext) {
    this.foundation = context.part(Foundation);
    this.construct = new Construct(context.stack, 'Building');
  }
}

function newContext(): HardenedEksProductContext {
  const stack = new Stack(new App(), 'Product');
  const settings = defaultSettings();
  return new HardenedEksProductContext(stack, {
    settings,
    parameters: new ProductParameters(stack, 'Parameters', settings),
    organizationId: 'o-a1b2c3d4e5',
    launchRoleName: 'LaunchRole',
    keys: new ProductKeys(stack, 'Keys'),
  });
}

describe('the product context', () => {
  test('gives a part the parts built before it, by type; their constructs sit directly in the stack', () => {
    const context = newContext();
    const foundation = context.add(Foundation);
    const building = context.add(Building);
    expect(building.foundation).toBe(foundation);
    expect(context.part(Foundation)).toBe(foundation);
    expect([foundation.construct.node.path, building.construct.node.path]).toEqual([
      'Product/Foundation',
      'Product/Building',
    ]);
  });

  test('refuses a part that needs one built after it, naming both', () => {
    const error = thrownError(() => newContext().add(Building), ConstructValidationError);
    expect(error.message).toBe('Product: parts must list Foundation before Building, which needs it');
  });

  test('refuses the same part twice', () => {
    const context = newContext();
    context.add(Foundation);
    expect(thrownError(() => context.add(Foundation), ConstructValidationError).message).toBe(
      'Product: parts must list Foundation once',
    );
  });

  test('the cluster part needs the network part first', () => {
    expect(thrownError(() => newContext().add(ClusterPart), ConstructValidationError).message).toBe(
      'Product: parts must list NetworkPart before ClusterPart, which needs it',
    );
  });

  test('the launch role ARN is of the launching account and partition', () => {
    const context = newContext();
    expect(context.stack.resolve(context.launchRoleArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/LaunchRole']],
    });
  });
});
