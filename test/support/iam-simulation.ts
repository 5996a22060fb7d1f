import { runSimulation, type Simulation, type SimulationErrors } from '@cloud-copilot/iam-simulate';

export type PolicyDocument = { Version?: string; Statement: any[] | any };

export interface IamRequest {
  principalArn: string;
  action: string;
  resourceArn: string;
  context?: Record<string, string | string[]>;
}

export interface PolicySet {
  identityPolicies: PolicyDocument[];
  serviceControlPolicies?: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  /** The principal's permissions boundary: it must allow the request too. */
  permissionsBoundary?: PolicyDocument;
  /** Policies of the VPC endpoint the request goes through: each must allow it too. */
  vpcEndpointPolicies?: PolicyDocument[];
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Expects the decision on an action, naming the action when it differs (for tests that loop over actions). */
export function expectDecisionOn(action: string, decision: Decision, expected: Decision): void {
  expect({ action, decision }).toEqual({ action, decision: expected });
}

// The library requires an Allow at every SCP layer; AWS attaches FullAWSAccess by default.
const FULL_AWS_ACCESS = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const arnField = (arn: string, index: number): string => arn.split(':')[index] ?? '';

export async function decide(policies: PolicySet, request: IamRequest): Promise<Decision> {
  const principalAccount = arnField(request.principalArn, 4);
  // Account-less ARNs (e.g. S3 buckets) are treated as living in the caller's account.
  const resourceAccount = arnField(request.resourceArn, 4) || principalAccount;
  const region = arnField(request.resourceArn, 3);

  // The library does not derive any request context itself: it evaluates only what is passed here.
  const contextVariables: Record<string, string | string[]> = {
    'aws:PrincipalArn': request.principalArn,
    'aws:PrincipalAccount': principalAccount,
    ...(region ? { 'aws:RequestedRegion': region } : {}),
    ...request.context,
  };

  const simulation: Simulation = {
    request: {
      principal: request.principalArn,
      action: request.action,
      resource: { resource: request.resourceArn, accountId: resourceAccount },
      contextVariables,
    },
    identityPolicies: policies.identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: (policies.serviceControlPolicies ?? []).map((policy, i) => ({
      orgIdentifier: `scp-layer-${i}`,
      policies: [FULL_AWS_ACCESS, { name: `scp-${i}`, policy }],
    })),
    resourceControlPolicies: [],
    resourcePolicy: policies.resourcePolicy,
    vpcEndpointPolicies: policies.vpcEndpointPolicies?.map((policy, i) => ({ name: `vpce-${i}`, policy })),
    permissionBoundaryPolicies: policies.permissionsBoundary
      ? [{ name: 'boundary', policy: policies.permissionsBoundary }]
      : undefined,
  };

  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    throw new Error(describeErrors(response.errors));
  }

  // Keys that do not apply to the action are silently dropped before evaluation, which would make
  // a condition test pass or fail for the wrong reason.
  const ignored =
    response.resultType === 'single'
      ? (response.result.ignoredContextKeys ?? [])
      : response.results.flatMap((r) => r.ignoredContextKeys ?? []);
  const ignoredCallerKeys = [...new Set(ignored)].filter((key) => request.context && key in request.context);
  if (ignoredCallerKeys.length > 0) {
    throw new Error(`context keys not applicable to ${request.action}: ${ignoredCallerKeys.join(', ')}`);
  }

  return response.overallResult;
}

function describeErrors(errors: SimulationErrors): string {
  const { message, ...details } = errors;
  return Object.keys(details).length > 0 ? `${message}: ${JSON.stringify(details)}` : message;
}
