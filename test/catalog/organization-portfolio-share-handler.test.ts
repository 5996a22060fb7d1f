import {
  CreatePortfolioShareCommand,
  DeletePortfolioShareCommand,
  DescribePortfolioShareStatusCommand,
  InvalidStateException,
  ResourceNotFoundException,
  ServiceCatalogClient,
  UpdatePortfolioShareCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handler,
  type PortfolioShareEvent,
  type PortfolioShareProperties,
} from '../../lib/catalog/organization-portfolio-share/handler';

/** The share handler against a mocked Service Catalog client: what it calls, in which order, and what it reports. */
const serviceCatalog = mockClient(ServiceCatalogClient);
const PORTFOLIO = 'port-abcdefghijklm';
const OU_A = { Type: 'ORGANIZATIONAL_UNIT' as const, Value: 'ou-ab12-aaaaaaaa' };
const OU_B = { Type: 'ORGANIZATIONAL_UNIT' as const, Value: 'ou-ab12-bbbbbbbb' };
const ORGANIZATION = { Type: 'ORGANIZATION' as const, Value: 'o-exampleorg1' };
const FAST = { pollIntervalMs: 1, reserveMs: 0 };
const lambdaContext = (remainingMs = 60_000) => ({ getRemainingTimeInMillis: () => remainingMs });

const properties = (...nodes: PortfolioShareProperties['OrganizationNodes']): PortfolioShareProperties => ({
  PortfolioId: PORTFOLIO,
  OrganizationNodes: nodes,
});
const create = (props: PortfolioShareProperties): PortfolioShareEvent => ({
  RequestType: 'Create',
  ResourceProperties: props,
});

/** Each share operation gets its own token; its status reads return `statuses` in turn (the last one repeats). */
function shareOperations(statuses: string[] = ['COMPLETED']): void {
  let created = 0;
  let deleted = 0;
  serviceCatalog
    .on(CreatePortfolioShareCommand)
    .callsFake(async () => ({ PortfolioShareToken: `create-${++created}` }));
  serviceCatalog
    .on(DeletePortfolioShareCommand)
    .callsFake(async () => ({ PortfolioShareToken: `delete-${++deleted}` }));
  const reads = new Map<string, number>();
  serviceCatalog.on(DescribePortfolioShareStatusCommand).callsFake(async ({ PortfolioShareToken: token }) => {
    const read = reads.get(token) ?? 0;
    reads.set(token, read + 1);
    return {
      PortfolioShareToken: token,
      PortfolioId: PORTFOLIO,
      Status: statuses[Math.min(read, statuses.length - 1)],
    };
  });
}

const inputs = (command: any) => serviceCatalog.commandCalls(command).map((call) => call.args[0].input);

beforeEach(() => serviceCatalog.reset());

describe('create', () => {
  test('shares with each node, TagOptions and principal names included, and waits until each share completes', async () => {
    shareOperations(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED']);

    const result = await handler(create(properties(OU_A, ORGANIZATION)), lambdaContext(), FAST);

    expect(inputs(CreatePortfolioShareCommand)).toEqual([
      { PortfolioId: PORTFOLIO, OrganizationNode: OU_A, ShareTagOptions: true, SharePrincipals: true },
      { PortfolioId: PORTFOLIO, OrganizationNode: ORGANIZATION, ShareTagOptions: true, SharePrincipals: true },
    ]);
    expect(inputs(DescribePortfolioShareStatusCommand).map((i) => i.PortfolioShareToken)).toEqual([
      'create-1',
      'create-1',
      'create-1',
      'create-2',
      'create-2',
      'create-2',
    ]);
    expect(result).toEqual({
      PhysicalResourceId: `${PORTFOLIO}/organization-shares`,
      Data: { SharedNodes: 'ou-ab12-aaaaaaaa,o-exampleorg1' },
    });
    expect(serviceCatalog.commandCalls(DeletePortfolioShareCommand)).toHaveLength(0);
  });

  test('a share that already exists (no token) is updated to share TagOptions and principal names, and followed', async () => {
    shareOperations();
    serviceCatalog.on(CreatePortfolioShareCommand).resolves({});
    serviceCatalog.on(UpdatePortfolioShareCommand).resolves({ PortfolioShareToken: 'update-1', Status: 'IN_PROGRESS' });

    await handler(create(properties(OU_A)), lambdaContext(), FAST);

    expect(inputs(UpdatePortfolioShareCommand)).toEqual([
      { PortfolioId: PORTFOLIO, OrganizationNode: OU_A, ShareTagOptions: true, SharePrincipals: true },
    ]);
    expect(inputs(DescribePortfolioShareStatusCommand)).toEqual([{ PortfolioShareToken: 'update-1' }]);
  });
});

describe('update', () => {
  test('adds the new nodes and removes the dropped ones, leaving the kept ones alone', async () => {
    shareOperations();

    const result = await handler(
      {
        RequestType: 'Update',
        PhysicalResourceId: `${PORTFOLIO}/organization-shares`,
        ResourceProperties: properties(OU_B, ORGANIZATION),
        OldResourceProperties: properties(OU_A, OU_B),
      },
      lambdaContext(),
      FAST,
    );

    expect(inputs(CreatePortfolioShareCommand).map((i) => i.OrganizationNode)).toEqual([ORGANIZATION]);
    expect(inputs(DeletePortfolioShareCommand)).toEqual([{ PortfolioId: PORTFOLIO, OrganizationNode: OU_A }]);
    expect(inputs(DescribePortfolioShareStatusCommand).map((i) => i.PortfolioShareToken)).toEqual([
      'create-1',
      'delete-1',
    ]);
    expect(result.PhysicalResourceId).toBe(`${PORTFOLIO}/organization-shares`);
  });

  test('on another portfolio shares every node anew under a new physical ID (CloudFormation then deletes the old shares)', async () => {
    shareOperations();

    const result = await handler(
      {
        RequestType: 'Update',
        PhysicalResourceId: 'port-old0000000000/organization-shares',
        ResourceProperties: properties(OU_A),
        OldResourceProperties: { PortfolioId: 'port-old0000000000', OrganizationNodes: [OU_A] },
      },
      lambdaContext(),
      FAST,
    );

    expect(inputs(CreatePortfolioShareCommand)).toEqual([
      { PortfolioId: PORTFOLIO, OrganizationNode: OU_A, ShareTagOptions: true, SharePrincipals: true },
    ]);
    expect(serviceCatalog.commandCalls(DeletePortfolioShareCommand)).toHaveLength(0);
    expect(result.PhysicalResourceId).toBe(`${PORTFOLIO}/organization-shares`);
  });
});

describe('delete', () => {
  test('removes every share and waits for each removal', async () => {
    shareOperations(['IN_PROGRESS', 'COMPLETED']);

    const result = await handler(
      {
        RequestType: 'Delete',
        PhysicalResourceId: `${PORTFOLIO}/organization-shares`,
        ResourceProperties: properties(OU_A, OU_B),
      },
      lambdaContext(),
      FAST,
    );

    expect(inputs(DeletePortfolioShareCommand)).toEqual([
      { PortfolioId: PORTFOLIO, OrganizationNode: OU_A },
      { PortfolioId: PORTFOLIO, OrganizationNode: OU_B },
    ]);
    expect(inputs(DescribePortfolioShareStatusCommand).map((i) => i.PortfolioShareToken)).toEqual([
      'delete-1',
      'delete-1',
      'delete-2',
      'delete-2',
    ]);
    expect(result.PhysicalResourceId).toBe(`${PORTFOLIO}/organization-shares`);
    expect(serviceCatalog.commandCalls(CreatePortfolioShareCommand)).toHaveLength(0);
  });

  test('a share that no longer exists is skipped, the others are still removed', async () => {
    shareOperations();
    serviceCatalog
      .on(DeletePortfolioShareCommand, { OrganizationNode: OU_A })
      .rejects(new ResourceNotFoundException({ message: 'Portfolio share not found', $metadata: {} }));

    await handler(
      { RequestType: 'Delete', PhysicalResourceId: 'x', ResourceProperties: properties(OU_A, OU_B) },
      lambdaContext(),
      FAST,
    );

    expect(inputs(DeletePortfolioShareCommand).map((i) => i.OrganizationNode)).toEqual([OU_A, OU_B]);
  });

  test('any other error of the removal fails the delete with it', async () => {
    serviceCatalog
      .on(DeletePortfolioShareCommand)
      .rejects(new InvalidStateException({ message: 'AWSOrganizationsAccess is not enabled', $metadata: {} }));

    await expect(
      handler(
        { RequestType: 'Delete', PhysicalResourceId: 'x', ResourceProperties: properties(OU_A) },
        lambdaContext(),
        FAST,
      ),
    ).rejects.toThrow('AWSOrganizationsAccess is not enabled');
  });
});

describe('failures', () => {
  test("a share that ends in ERROR fails with AWS's error text and the accounts it names", async () => {
    shareOperations();
    serviceCatalog
      .on(DescribePortfolioShareStatusCommand)
      .resolvesOnce({ Status: 'IN_PROGRESS' })
      .resolves({
        Status: 'ERROR',
        ShareDetails: {
          SuccessfulShares: [],
          ShareErrors: [
            {
              Accounts: ['444455556666'],
              Error: 'AccessDeniedException',
              Message: 'The portfolio cannot be shared with the specified organizational unit',
            },
          ],
        },
      });

    await expect(handler(create(properties(OU_A)), lambdaContext(), FAST)).rejects.toThrow(
      `Could not share portfolio ${PORTFOLIO} with organizational unit ou-ab12-aaaaaaaa: ERROR: AccessDeniedException: ` +
        'The portfolio cannot be shared with the specified organizational unit (accounts 444455556666)',
    );
  });

  test('a share COMPLETED_WITH_ERRORS fails too, naming each error', async () => {
    shareOperations();
    serviceCatalog.on(DescribePortfolioShareStatusCommand).resolves({
      Status: 'COMPLETED_WITH_ERRORS',
      ShareDetails: {
        SuccessfulShares: ['111122223333'],
        ShareErrors: [{ Accounts: ['444455556666'], Error: 'InternalError', Message: 'Share to account failed' }],
      },
    });

    await expect(handler(create(properties(ORGANIZATION)), lambdaContext(), FAST)).rejects.toThrow(
      /organization o-exampleorg1: COMPLETED_WITH_ERRORS: InternalError: Share to account failed \(accounts 444455556666\)/,
    );
  });

  test('an error of CreatePortfolioShare itself fails the deployment with it', async () => {
    serviceCatalog.on(CreatePortfolioShareCommand).rejects(
      new InvalidStateException({
        message: 'AWSOrganizationsAccess must be enabled to share with an organization node',
        $metadata: {},
      }),
    );

    await expect(handler(create(properties(OU_A)), lambdaContext(), FAST)).rejects.toThrow(
      'AWSOrganizationsAccess must be enabled',
    );
  });

  test('a share still in progress when the invocation runs out of time fails with its token instead of letting Lambda time out', async () => {
    shareOperations(['IN_PROGRESS']);

    await expect(
      handler(create(properties(OU_A)), lambdaContext(50), { pollIntervalMs: 20, reserveMs: 0 }),
    ).rejects.toThrow(
      /Could not share portfolio .* with organizational unit ou-ab12-aaaaaaaa: still IN_PROGRESS when the handler had to return \(token create-1\)/,
    );
    const reads = serviceCatalog.commandCalls(DescribePortfolioShareStatusCommand).length;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(3);
  });
});
