import { ASSUME_ROLE, AutomationDocument, commonParameters, RunbookContext, SCRIPT_RUNTIME } from './automation-document';

/** The inline policy name the IAM console's "Revoke active sessions" uses. */
export const REVOCATION_POLICY_NAME = 'AWSRevokeOlderSessions';

/**
 * Computes "now" in ISO 8601 UTC and the AWS revoke-older-sessions policy: deny everything to credentials issued
 * before that time (aws:TokenIssueTime), so sessions started afterwards work again.
 */
const BUILD_REVOCATION_POLICY = `import datetime
import json


def build(events, context):
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    policy = {
        'Version': '2012-10-17',
        'Statement': [{
            'Effect': 'Deny',
            'Action': ['*'],
            'Resource': ['*'],
            'Condition': {'DateLessThan': {'aws:TokenIssueTime': now}},
        }],
    }
    return {'RevokedBefore': now, 'PolicyDocument': json.dumps(policy)}
`;

/** IR-3: revoke the temporary credentials of a pod's (IRSA / Pod Identity) role or of the node role. */
export function revokeRoleSessionsRunbook(inputs: RunbookContext): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: `IR-3 Revoke every session of an IAM role issued before now (inline policy ${REVOCATION_POLICY_NAME}). Pod roles early; the node role last: it stops the SSM agent and the kubelet.`,
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      RoleName: {
        type: 'String',
        description: 'Name (not ARN) of the role whose sessions to revoke: a pod role from IR-1, or the node role.',
        allowedPattern: '^[\\w+=,.@-]{1,64}$',
      },
    },
    mainSteps: [
      {
        name: 'BuildRevocationPolicy',
        action: 'aws:executeScript',
        inputs: { Runtime: SCRIPT_RUNTIME, Handler: 'build', Script: BUILD_REVOCATION_POLICY, InputPayload: { RoleName: '{{ RoleName }}' } },
        outputs: [
          { Name: 'RevokedBefore', Selector: '$.Payload.RevokedBefore', Type: 'String' },
          { Name: 'PolicyDocument', Selector: '$.Payload.PolicyDocument', Type: 'String' },
        ],
      },
      {
        name: 'PutRevocationPolicy',
        action: 'aws:executeAwsApi',
        inputs: {
          Service: 'iam', Api: 'PutRolePolicy', RoleName: '{{ RoleName }}', PolicyName: REVOCATION_POLICY_NAME,
          PolicyDocument: '{{ BuildRevocationPolicy.PolicyDocument }}',
        },
      },
      {
        name: 'AssertRevocationPolicy',
        action: 'aws:assertAwsResourceProperty',
        inputs: {
          Service: 'iam', Api: 'GetRolePolicy', RoleName: '{{ RoleName }}', PolicyName: REVOCATION_POLICY_NAME,
          PropertySelector: '$.PolicyName', DesiredValues: [REVOCATION_POLICY_NAME],
        },
        isEnd: true,
      },
    ],
    outputs: ['BuildRevocationPolicy.RevokedBefore'],
  };
}
