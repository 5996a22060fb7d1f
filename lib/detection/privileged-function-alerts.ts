import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** A privileged function of the product, and who is expected to invoke it. */
export interface WatchedFunction {
  /** The function's name (a token). */
  readonly functionName: string;
  readonly functionArn: string;
  /** Principals whose invocations are expected (its provider framework, the launch role, the automation role). */
  readonly invokerArns: readonly string[];
}

export interface PrivilegedFunctionAlertsProps {
  /** The security-alert topic (its policy lets EventBridge of this account publish). */
  readonly topic: sns.ITopic;
  readonly functions: readonly WatchedFunction[];
  /** Who changes the functions legitimately: the launch role, through CloudFormation. */
  readonly deploymentRoleArns: readonly string[];
}

/**
 * CloudTrail event-name prefixes of the Lambda calls that change a function (UpdateFunctionCode20150331v2,
 * AddPermission20150331v2, PutFunctionConcurrency20171031, CreateFunctionUrlConfig, …).
 */
export const FUNCTION_CHANGE_EVENT_PREFIXES = [
  'Update',
  'Put',
  'Delete',
  'Create',
  'Publish',
  'AddPermission',
  'RemovePermission',
] as const;
/** CloudTrail's name for InvokeFunction (a data event: the trail must record Lambda data events). */
export const FUNCTION_INVOKE_EVENT_NAME = 'Invoke';

/**
 * A call by anyone but the given principals: an assumed-role session of another role, or an identity that is no
 * assumed role at all (an IAM user, root, an AWS service). EventBridge's anything-but never matches a missing field,
 * so the second branch is needed for callers without a session issuer.
 */
export function notBy(principalArns: readonly string[]): Record<string, unknown>[] {
  return [
    { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
    { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [...principalArns] }] } } } },
  ];
}

/** The name, the ARN and qualified ARNs of a function, as a caller may give it in requestParameters.functionName. */
const namesOf = (fn: WatchedFunction) => [fn.functionName, fn.functionArn, { prefix: `${fn.functionArn}:` }];

/**
 * Alerts (DET-6) when someone other than the launch role changes a privileged function (code, configuration,
 * permissions, versions, aliases, URL), or someone other than its expected caller invokes it. The guardrail policy
 * denies both to whoever carries it; the alert catches principals it is not attached to.
 */
export class PrivilegedFunctionAlerts extends Construct {
  readonly changes: events.Rule;
  readonly invocations: events.Rule;

  constructor(scope: Construct, id: string, props: PrivilegedFunctionAlertsProps) {
    super(scope, id);
    const field = (path: string) => events.EventField.fromPath(path);
    const target: events.IRuleTarget = {
      bind: () => ({
        arn: props.topic.topicArn,
        input: events.RuleTargetInput.fromText(
          `Privileged Lambda function: ${field('$.detail.eventName')} of ${field('$.detail.requestParameters.functionName')} in account ` +
            `${events.EventField.account} ${events.EventField.region} by ${field('$.detail.userIdentity.arn')} from ` +
            `${field('$.detail.sourceIPAddress')} at ${events.EventField.time} (CloudTrail event ${field('$.detail.eventID')})`,
        ),
      }),
    };
    const lambdaCalls = (detail: Record<string, unknown>): events.EventPattern => ({
      source: ['aws.lambda'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['lambda.amazonaws.com'], ...detail },
    });
    this.changes = new events.Rule(this, 'Changes', {
      description: "Changes of the product's privileged Lambda functions by anyone but the launch role (DET-6)",
      eventPattern: lambdaCalls({
        eventName: FUNCTION_CHANGE_EVENT_PREFIXES.map((prefix) => ({ prefix })),
        requestParameters: { functionName: props.functions.flatMap(namesOf) },
        $or: notBy(props.deploymentRoleArns),
      }),
      targets: [target],
    });
    this.invocations = new events.Rule(this, 'Invocations', {
      description:
        "Invocations of the product's privileged Lambda functions by anyone but their own callers (DET-6; needs Lambda data events in the trail)",
      eventPattern: lambdaCalls({
        eventName: [FUNCTION_INVOKE_EVENT_NAME],
        $or: props.functions.flatMap((fn) =>
          notBy(fn.invokerArns).map((caller) => ({ requestParameters: { functionName: namesOf(fn) }, ...caller })),
        ),
      }),
      targets: [target],
    });
  }
}
