import { fullDiff, ResourceImpact, type ResourceDifference } from '@aws-cdk/cloudformation-diff';

/**
 * Resource types whose replacement or removal loses what a consumer's cluster holds: the cluster itself, its keys
 * (and everything encrypted with them), logs, buckets, image repositories, the network. Which property changes
 * replace a resource is CloudFormation's knowledge, read through @aws-cdk/cloudformation-diff.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'AWS::EKS::Cluster',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::ECR::Repository',
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
];
/** Replaced node groups drain and recreate the nodes: the workloads survive, but consumers must know. */
export const WARNING_RESOURCE_TYPES: readonly string[] = ['AWS::EKS::Nodegroup'];
/** A resource kept on deletion is one its author called stateful. */
const RETAINING_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

export type ChangeImpact = 'replaced' | 'may be replaced' | 'removed';

/** A resource an upgrade would replace or remove. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly impact: ChangeImpact;
  /** The properties whose change replaces the resource; empty when it is removed. */
  readonly properties: string[];
  /** Added resources of the same type, when it is removed: a renamed construct gives its resource a new logical ID. */
  readonly addedInstead: string[];
}

/** What updating a provisioned product from one template to another does to its resources. */
export interface UpgradeDiff {
  readonly added: number;
  readonly updated: number;
  readonly replaced: number;
  readonly removed: number;
  /** Stateful resources replaced or removed. */
  readonly breaking: ResourceChange[];
  /** Node groups replaced or removed. */
  readonly warnings: ResourceChange[];
}

export function diffUpgrade(from: Record<string, unknown>, to: Record<string, unknown>): UpgradeDiff {
  const diff = fullDiff(from, to);
  const changes: [string, ResourceDifference][] = [];
  diff.resources.forEachDifference((logicalId, change) => changes.push([logicalId, change]));
  const count = (...impacts: ResourceImpact[]) => changes.filter(([, c]) => impacts.includes(c.changeImpact)).length;
  const added = (type: string) =>
    changes.filter(([, c]) => c.isAddition && c.newResourceType === type).map(([id]) => id);

  const replacedOrRemoved = changes.flatMap(([logicalId, change]): (ResourceChange & { stateful: boolean })[] => {
    const impact = impactOf(change.changeImpact);
    if (!impact) return [];
    const resourceType = change.oldResourceType ?? change.newResourceType ?? 'unknown';
    const properties = Object.entries(change.propertyUpdates)
      .filter(
        ([, p]) => p.changeImpact === ResourceImpact.WILL_REPLACE || p.changeImpact === ResourceImpact.MAY_REPLACE,
      )
      .map(([name]) => name);
    const deletionPolicy = (change.oldValue as { DeletionPolicy?: string } | undefined)?.DeletionPolicy;
    return [
      {
        logicalId,
        resourceType,
        impact,
        properties,
        addedInstead: impact === 'removed' ? added(resourceType) : [],
        stateful: STATEFUL_RESOURCE_TYPES.includes(resourceType) || RETAINING_POLICIES.includes(deletionPolicy ?? ''),
      },
    ];
  });
  const strip = ({ stateful: _stateful, ...change }: ResourceChange & { stateful: boolean }): ResourceChange => change;
  return {
    added: count(ResourceImpact.WILL_CREATE, ResourceImpact.WILL_IMPORT),
    updated: count(ResourceImpact.WILL_UPDATE),
    replaced: count(ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE),
    removed: count(ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN),
    breaking: replacedOrRemoved.filter((c) => c.stateful).map(strip),
    warnings: replacedOrRemoved
      .filter((c) => !c.stateful && WARNING_RESOURCE_TYPES.includes(c.resourceType))
      .map(strip),
  };
}

function impactOf(impact: ResourceImpact): ChangeImpact | undefined {
  switch (impact) {
    case ResourceImpact.WILL_REPLACE:
      return 'replaced';
    case ResourceImpact.MAY_REPLACE:
      return 'may be replaced';
    // An orphaned resource is kept in the account but leaves the stack: the product no longer manages it.
    case ResourceImpact.WILL_DESTROY:
    case ResourceImpact.WILL_ORPHAN:
      return 'removed';
    default:
      return undefined;
  }
}

/** One line naming the resource, what happens to it, and why. */
export function describeChange(change: ResourceChange): string {
  const why =
    change.impact === 'removed'
      ? `its logical ID is gone${change.addedInstead.length ? `; added instead: ${change.addedInstead.join(', ')} (a renamed construct?)` : ''}`
      : `property ${change.properties.join(', ') || '(none named)'} changes`;
  return `${change.resourceType} ${change.logicalId} would be ${change.impact} (${why})`;
}
