import {
  AutomationDocument,
  automationDocument,
  invokeFunctionStep,
  RunbookContext,
  scriptStep,
} from './automation-document';

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
  return automationDocument(inputs, {
    description: `IR-3 Revoke every session of an IAM role issued before now (inline policy ${REVOCATION_POLICY_NAME}, written by the product's role-session revoker). Pod roles early; the node role last: it stops the SSM agent and the kubelet.`,
    parameters: {
      RoleName: {
        type: 'String',
        description: 'Name (not ARN) of the role whose sessions to revoke: a pod role from IR-1, or the node role.',
        allowedPattern: '^[\\w+=,.@-]{1,64}$',
      },
    },
    mainSteps: [
      invokeFunctionStep('RevokeSessions', inputs.revokerFunctionArn, '{"roleName":"{{ RoleName }}"}', 60),
      scriptStep({
        name: 'CheckAnswer',
        script: 'check-revocation.py',
        handler: 'check',
        payload: { Payload: '{{ RevokeSessions.Payload }}' },
        outputs: { RevokedBefore: 'String', Answer: 'String' },
        isEnd: true,
      }),
    ],
    outputs: ['CheckAnswer.RevokedBefore'],
  });
}
