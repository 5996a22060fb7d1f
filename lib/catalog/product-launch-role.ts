import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { BreakGlassRole } from '../identity/break-glass-role';
import { ProductRoleBoundary } from '../identity/product-role-boundary';
import { ConstructValidationError } from '../errors/construct-validation-error';
import { ProductDefinition } from './product-definition';

export interface ProductLaunchRoleProps {
  readonly definition: ProductDefinition;
  readonly settings: unknown;
  /** The buckets launches read the product's assets from: one per catalog region (IAM is global, the role serves every region). */
  readonly assetBucketNames: string[];
}

/**
 * The local launch role of a product (`definition.launchRoleName`): only Service Catalog may assume it, and its one
 * inline policy is the product's own launch statements. The hub stack and the StackSet's template both create it
 * from here, so every account's role follows the product's definition.
 */
export class ProductLaunchRole extends iam.Role {
  /** The permissions boundary the product's roles carry, when the product defines one. */
  readonly roleBoundary?: ProductRoleBoundary;
  /** The account's break-glass role, when the product defines one. */
  readonly breakGlassRole?: BreakGlassRole;

  constructor(scope: Construct, id: string, props: ProductLaunchRoleProps) {
    const { definition, settings } = props;
    const statements = () => launchStatements(scope, definition, settings, props.assetBucketNames);
    super(scope, id, {
      roleName: definition.launchRoleName,
      assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com'),
      description: `Service Catalog launch role for ${definition.productName}: CloudFormation creates the product with it`,
      inlinePolicies: { Launch: new iam.PolicyDocument({ statements: statements() }) },
    });
    acknowledgeLaunchRoleWildcards(this, statements());
    const boundary = definition.roleBoundary?.(settings);
    if (boundary) {
      this.roleBoundary = new ProductRoleBoundary(this, 'RoleBoundary', {
        ...boundary,
        productName: definition.productName,
      });
      for (const id of ['AwsSolutions-IAM5[Action::*]', 'AwsSolutions-IAM5[Resource::*]']) {
        acknowledge(
          this.roleBoundary,
          id,
          "A permissions boundary grants nothing: it is the ceiling of the product roles' own policies, " +
            'with denies of the EKS admin APIs, identity writes, foreign roles and blinding detection.',
        );
      }
    }
    const breakGlass = definition.breakGlassRole?.(settings);
    if (breakGlass) this.breakGlassRole = new BreakGlassRole(this, 'BreakGlassRole', breakGlass);
  }
}

/**
 * The product's launch statements for several asset buckets: the definition gives them for one bucket, so they are
 * asked for each bucket and each statement's resources are joined. Statements that differ in more than their
 * resources between two buckets cannot be joined safely: that fails the synth.
 */
function launchStatements(
  scope: Construct,
  definition: ProductDefinition,
  settings: unknown,
  bucketNames: string[],
): iam.PolicyStatement[] {
  const [first, ...others] = bucketNames.map((name) => definition.launchRoleStatements(settings, name));
  return first.map((statement, i) => {
    const resources = [...new Set([statement, ...others.map((o) => o[i])].flatMap((s) => s.resources))];
    for (const other of others) {
      if (!other[i] || !sameBesidesResources(statement, other[i])) {
        throw new ConstructValidationError(
          scope,
          `launchRoleStatements of ${definition.productName} (statement ${statement.sid ?? i})`,
          'must differ between asset buckets in their resources only',
        );
      }
    }
    return resources.length === statement.resources.length ? statement : statement.copy({ resources });
  });
}

function sameBesidesResources(a: iam.PolicyStatement, b: iam.PolicyStatement): boolean {
  const withoutResources = (s: iam.PolicyStatement) => JSON.stringify({ ...s.toStatementJson(), Resource: undefined });
  return withoutResources(a) === withoutResources(b);
}

/**
 * The launch role's wildcard resources are each scoped to this account and to the product's IAM path, the
 * Service Catalog stack prefix or the asset bucket, and only usable through CloudFormation: acknowledged one by one.
 */
function acknowledgeLaunchRoleWildcards(role: iam.Role, statements: iam.PolicyStatement[]): void {
  const stack = Stack.of(role);
  const ids = new Set<string>();
  for (const statement of statements) {
    for (const resource of statement.resources) {
      const text = renderForNag(stack.resolve(resource));
      if (text.includes('*')) ids.add(`AwsSolutions-IAM5[Resource::${text}]`);
    }
    for (const action of statement.actions) if (action.includes('*')) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
  }
  for (const id of ids) {
    acknowledge(
      role,
      id,
      "Launch role: scoped to this account and to the product's IAM path, stack prefix or asset bucket; every statement but stack operations requires aws:CalledVia CloudFormation.",
    );
  }
}

/** Renders a resolved IAM resource the way cdk-nag prints it in finding IDs (`<AWS::AccountId>`, `<Logical.Arn>`). */
function renderForNag(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  if (resolved && typeof resolved === 'object') {
    const o = resolved as Record<string, unknown>;
    if ('Ref' in o) return `<${o.Ref}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(renderForNag).join(sep);
    }
  }
  return JSON.stringify(resolved);
}
