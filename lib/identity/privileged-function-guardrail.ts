import * as iam from 'aws-cdk-lib/aws-iam';
import { DEPLOYMENT_ROLE_CHANGES } from './admin-api-guardrail';

/*
 * The product's privileged Lambda functions hold what nobody else in the account should: the kubectl handler is
 * cluster-admin and applies whatever manifest it is invoked with; the provider framework invokes it with whatever
 * CloudFormation sends; the incident-response functions patch pods and write the revocation policy. Lambda function
 * policies cannot deny, so the product's guardrail policy does: nobody but each function's own caller invokes it, and
 * nobody but the launch role (which acts only through CloudFormation) changes it, its permissions or its role.
 */

/** A function of the product that must stay what CloudFormation deployed, and who calls it. */
export interface PrivilegedFunction {
  /** What it is, for the statement ID (letters and digits). */
  readonly name: string;
  /** The function's ARN (unqualified). */
  readonly functionArn: string;
  /** ARNs of the principals that invoke it: its provider framework, the launch role, the automation role. */
  readonly invokerArns: readonly string[];
}

export interface PrivilegedFunctionGuardrailOptions {
  readonly functions: readonly PrivilegedFunction[];
  /** The functions' execution roles: passing one to another function or changing it would hand on its rights. */
  readonly executionRoleArns: readonly string[];
  /** The roles that deploy the product (the Service Catalog launch role): the only ones that change the functions. */
  readonly deploymentRoleArns: readonly string[];
}

/** Every way to run a function (InvokeFunction, InvokeFunctionUrl, InvokeAsync). */
export const FUNCTION_INVOKE_ACTIONS = ['lambda:Invoke*'] as const;

/** What changes a function's code, configuration, versions, aliases, URL, permissions or tags. */
export const FUNCTION_CHANGE_ACTIONS = [
  'lambda:Update*',
  'lambda:Put*',
  'lambda:Delete*',
  'lambda:Create*',
  'lambda:Publish*',
  'lambda:AddPermission',
  'lambda:RemovePermission',
  'lambda:TagResource',
  'lambda:UntagResource',
  'lambda:EnableReplication',
  'lambda:DisableReplication',
] as const;

/** What hands a function's rights to someone else: passing its role, or changing the role's trust and policies. */
export const EXECUTION_ROLE_CHANGES = ['iam:PassRole', ...DEPLOYMENT_ROLE_CHANGES] as const;

/** Statement IDs of the privileged-function statements (the guardrail's other statements are the admin-API ones). */
export const isPrivilegedFunctionStatement = (sid: unknown): boolean =>
  typeof sid === 'string' && /^DenyInvoking|^DenyChangingPrivilegedFunctions$/.test(sid);

/** `arn` and every qualified form of it (`arn:version`, `arn:alias`). */
const withQualifiers = (arn: string): string => `${arn}*`;

/** The deny statements that keep the privileged functions to CloudFormation and their own callers. */
export function privilegedFunctionGuardrailStatements(o: PrivilegedFunctionGuardrailOptions): iam.PolicyStatement[] {
  return [
    ...o.functions.map(
      (fn) =>
        new iam.PolicyStatement({
          sid: `DenyInvoking${fn.name}`,
          effect: iam.Effect.DENY,
          actions: [...FUNCTION_INVOKE_ACTIONS],
          resources: [withQualifiers(fn.functionArn)],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...fn.invokerArns] } },
        }),
    ),
    new iam.PolicyStatement({
      sid: 'DenyChangingPrivilegedFunctions',
      effect: iam.Effect.DENY,
      actions: [...FUNCTION_CHANGE_ACTIONS, ...EXECUTION_ROLE_CHANGES],
      resources: [...o.functions.map((fn) => withQualifiers(fn.functionArn)), ...o.executionRoleArns],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...o.deploymentRoleArns] } },
    }),
  ];
}
