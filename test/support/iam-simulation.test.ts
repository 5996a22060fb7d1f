import { decide, type IamRequest, type PolicyDocument } from './iam-simulation';

const ACCOUNT = '111122223333';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const CLUSTER = `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod`;

const allowEks: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'eks:*', Resource: '*' }],
};

/** A policy of one statement that denies `action` on any resource (under `condition`, when given). */
const denying = (action: string, condition?: Record<string, unknown>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: action, Resource: '*', ...(condition && { Condition: condition }) }],
});

const deleteCluster = (principalArn: string, context?: IamRequest['context']): IamRequest => ({
  principalArn,
  action: 'eks:DeleteCluster',
  resourceArn: CLUSTER,
  context,
});

describe('decide', () => {
  it('allows what an identity policy allows', async () => {
    expect(await decide({ identityPolicies: [allowEks] }, deleteCluster(DEVELOPER))).toBe('Allowed');
  });

  it('denies DeleteCluster to everyone but admin roles', async () => {
    const adminsOnly = denying('eks:DeleteCluster', {
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin*' },
    });
    const policies = { identityPolicies: [allowEks, adminsOnly] };

    expect(await decide(policies, deleteCluster(DEVELOPER))).toBe('ExplicitlyDenied');
    expect(await decide(policies, deleteCluster(ADMIN))).toBe('Allowed');
  });

  it('denies callers outside the corporate network', async () => {
    const corporateNetworkOnly = denying('*', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } });
    const policies = { identityPolicies: [allowEks, corporateNetworkOnly] };

    expect(await decide(policies, deleteCluster(ADMIN, { 'aws:SourceIp': '203.0.113.5' }))).toBe('ExplicitlyDenied');
    expect(await decide(policies, deleteCluster(ADMIN, { 'aws:SourceIp': '10.1.2.3' }))).toBe('Allowed');
  });

  it('lets an SCP deny override an identity allow', async () => {
    const noClusterDeletion = denying('eks:DeleteCluster');
    const request = deleteCluster(ADMIN);

    expect(await decide({ identityPolicies: [allowEks], serviceControlPolicies: [noClusterDeletion] }, request)).toBe(
      'ExplicitlyDenied',
    );
    // A deny-only SCP must not block what it does not mention.
    expect(
      await decide(
        { identityPolicies: [allowEks], serviceControlPolicies: [noClusterDeletion] },
        { ...request, action: 'eks:DescribeCluster' },
      ),
    ).toBe('Allowed');
  });

  it('implicitly denies an action no policy allows', async () => {
    const describeOnly: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: CLUSTER }],
    };
    expect(await decide({ identityPolicies: [describeOnly] }, deleteCluster(ADMIN))).toBe('ImplicitlyDenied');
  });

  it('throws on a malformed policy', async () => {
    const malformed = { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 'eks:*', Resource: '*' }] };
    await expect(decide({ identityPolicies: [malformed] }, deleteCluster(ADMIN))).rejects.toThrow(/policy\.errors/);
  });

  it('throws on an unknown action', async () => {
    await expect(
      decide({ identityPolicies: [allowEks] }, { ...deleteCluster(ADMIN), action: 'eks:DeleteEverything' }),
    ).rejects.toThrow(/invalid\.action/);
  });
});
