/**
 * Custom resource handler (CDK provider framework, onEvent): shares one portfolio with AWS Organizations nodes.
 * CloudFormation's AWS::ServiceCatalog::PortfolioShare takes only an account ID; organization shares are
 * asynchronous, so each operation is followed until DescribePortfolioShareStatus reports its outcome.
 */
import {
  CreatePortfolioShareCommand,
  DeletePortfolioShareCommand,
  DescribePortfolioShareStatusCommand,
  ServiceCatalogClient,
  UpdatePortfolioShareCommand,
  type DescribePortfolioShareStatusCommandOutput,
  type OrganizationNode,
} from '@aws-sdk/client-service-catalog';

/** The custom resource's properties (CloudFormation passes every value as a string). */
export interface PortfolioShareProperties {
  readonly PortfolioId: string;
  readonly OrganizationNodes: { Type: 'ORGANIZATION' | 'ORGANIZATIONAL_UNIT'; Value: string }[];
}

export interface PortfolioShareEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: PortfolioShareProperties;
  readonly OldResourceProperties?: PortfolioShareProperties;
}

/** The part of the Lambda context the handler reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

export interface PortfolioShareResult {
  readonly PhysicalResourceId: string;
  readonly Data: { SharedNodes: string };
}

/** How long to wait between status reads, and how much of the invocation to leave for reporting a timeout. */
export interface WaitSettings {
  readonly pollIntervalMs: number;
  readonly reserveMs: number;
}

const DEFAULT_WAIT: WaitSettings = { pollIntervalMs: 5_000, reserveMs: 30_000 };
const FINISHED = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'ERROR']);

const client = new ServiceCatalogClient({});

export async function handler(
  event: PortfolioShareEvent,
  context: RemainingTime,
  wait: WaitSettings = DEFAULT_WAIT,
): Promise<PortfolioShareResult> {
  const props = event.ResourceProperties;
  const deadline = Date.now() + context.getRemainingTimeInMillis() - wait.reserveMs;
  const share = new PortfolioShares(props.PortfolioId, deadline, wait.pollIntervalMs);
  const nodes = props.OrganizationNodes.map(toNode);
  const physicalId = `${props.PortfolioId}/organization-shares`;

  if (event.RequestType === 'Delete') {
    for (const node of nodes) await share.remove(node);
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId, Data: { SharedNodes: '' } };
  }
  const old =
    event.RequestType === 'Update' && event.OldResourceProperties?.PortfolioId === props.PortfolioId
      ? event.OldResourceProperties.OrganizationNodes.map(toNode)
      : [];
  // Another portfolio gets a new physical ID; CloudFormation then deletes the old one's shares with a Delete event.
  for (const node of nodes.filter((n) => !old.some((o) => sameNode(n, o)))) await share.add(node);
  for (const node of old.filter((o) => !nodes.some((n) => sameNode(n, o)))) await share.remove(node);
  return { PhysicalResourceId: physicalId, Data: { SharedNodes: nodes.map((n) => n.Value).join(',') } };
}

class PortfolioShares {
  constructor(
    private readonly portfolioId: string,
    private readonly deadline: number,
    private readonly pollIntervalMs: number,
  ) {}

  /** Shares with the node, TagOptions and principal names included; an existing share is brought to the same settings. */
  async add(node: OrganizationNode): Promise<void> {
    const settings = {
      PortfolioId: this.portfolioId,
      OrganizationNode: node,
      ShareTagOptions: true,
      SharePrincipals: true,
    };
    const created = await client.send(new CreatePortfolioShareCommand(settings));
    // Creating a share that already exists does nothing and returns no token.
    const token =
      created.PortfolioShareToken ?? (await client.send(new UpdatePortfolioShareCommand(settings))).PortfolioShareToken;
    if (token) await this.waitFor(token, `share portfolio ${this.portfolioId} with ${describe(node)}`);
  }

  async remove(node: OrganizationNode): Promise<void> {
    let token: string | undefined;
    try {
      token = (
        await client.send(new DeletePortfolioShareCommand({ PortfolioId: this.portfolioId, OrganizationNode: node }))
      ).PortfolioShareToken;
    } catch (error) {
      // Already unshared, or the portfolio is gone: nothing left to remove.
      if ((error as Error).name === 'ResourceNotFoundException') return;
      throw error;
    }
    if (token) await this.waitFor(token, `unshare portfolio ${this.portfolioId} from ${describe(node)}`);
  }

  private async waitFor(token: string, operation: string): Promise<void> {
    for (;;) {
      const status = await client.send(new DescribePortfolioShareStatusCommand({ PortfolioShareToken: token }));
      if (status.Status === 'COMPLETED') return;
      if (FINISHED.has(status.Status ?? ''))
        throw new Error(`Could not ${operation}: ${status.Status}: ${shareErrors(status)}`);
      if (Date.now() + this.pollIntervalMs > this.deadline) {
        throw new Error(
          `Could not ${operation}: still ${status.Status ?? 'without a status'} when the handler had to return (token ${token}); ` +
            'check it with aws servicecatalog describe-portfolio-share-status and retry the deployment',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }
}

/** AWS's own error text for a share that failed, with the accounts it names. */
function shareErrors(status: DescribePortfolioShareStatusCommandOutput): string {
  const errors = status.ShareDetails?.ShareErrors ?? [];
  if (errors.length === 0) return 'AWS reported no error details';
  return errors
    .map(
      (e) =>
        `${e.Error ?? 'Error'}: ${e.Message ?? ''}${e.Accounts?.length ? ` (accounts ${e.Accounts.join(', ')})` : ''}`,
    )
    .join('; ');
}

function toNode(node: PortfolioShareProperties['OrganizationNodes'][number]): OrganizationNode {
  return { Type: node.Type, Value: node.Value };
}

function sameNode(a: OrganizationNode, b: OrganizationNode): boolean {
  return a.Type === b.Type && a.Value === b.Value;
}

function describe(node: OrganizationNode): string {
  return node.Type === 'ORGANIZATION' ? `organization ${node.Value}` : `organizational unit ${node.Value}`;
}
