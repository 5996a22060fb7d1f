import {
  ASSUME_ROLE,
  AutomationDocument,
  commonParameters,
  RunbookContext,
  SCRIPT_RUNTIME,
} from './automation-document';
import { runbookScript } from './scripts';

/** The inline policy name the IAM console's "Revoke active sessions" uses (written by the role-session revoker). */
export const REVOCATION_POLICY_NAME = 'AWSRevokeOlderSessions';

export interface RevokeRoleSessionsRunbookInputs extends RunbookContext {
  /** ARN of the product's RoleSessionRevoker function: the only one that writes the revocation policy. */
  readonly revokerFunctionArn: string;
}

/**
 * IR-3: revoke the temporary credentials of a pod's (IRSA / Pod Identity) role or of the node role. The automation role
 * cannot write role policies: it invokes the product's revoker, whose fixed code writes only the revocation policy.
 */
export function revokeRoleSessionsRunbook(inputs: RevokeRoleSessionsRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: `IR-3 Revoke every session of an IAM role issued before now (inline policy ${REVOCATION_POLICY_NAME}, written by the product's role-session revoker). Pod roles early; the node role last: it stops the SSM agent and the kubelet.`,
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
        name: 'RevokeSessions',
        action: 'aws:invokeLambdaFunction',
        timeoutSeconds: 60,
        inputs: {
          FunctionName: inputs.revokerFunctionArn,
          InvocationType: 'RequestResponse',
          Payload: '{"roleName":"{{ RoleName }}"}',
        },
      },
      {
        name: 'CheckAnswer',
        action: 'aws:executeScript',
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'check',
          Script: runbookScript('check-revocation.py'),
          InputPayload: { Payload: '{{ RevokeSessions.Payload }}' },
        },
        outputs: [
          { Name: 'RevokedBefore', Selector: '$.Payload.RevokedBefore', Type: 'String' },
          { Name: 'Answer', Selector: '$.Payload.Answer', Type: 'String' },
        ],
        isEnd: true,
      },
    ],
    outputs: ['CheckAnswer.RevokedBefore'],
  };
}
