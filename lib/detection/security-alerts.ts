import { Aws, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { retainedRotatingKey } from '../cluster/product-keys';
import { ADMIN_API_ACTIONS } from '../identity/admin-api-guardrail';
import { PRODUCT_TAG_KEY } from './product-config-rules';

/** CloudTrail event names of the guarded APIs ADM-1..ADM-36 (the IAM actions without their `eks:` prefix). */
export const ADMIN_API_EVENT_NAMES: readonly string[] = ADMIN_API_ACTIONS.map((action) => action.slice('eks:'.length));

/** Guarded APIs that name no existing cluster of this launch: they alert for every cluster of the account. */
export const CLUSTER_CREATION_EVENT_NAMES: readonly string[] = ['CreateCluster', 'RegisterCluster'];

/** Changes of who may act in the cluster: access entries, their access policies and pod identities. */
export const ACCESS_ENTRY_EVENT_NAMES = [
  'CreateAccessEntry',
  'UpdateAccessEntry',
  'DeleteAccessEntry',
  'AssociateAccessPolicy',
  'DisassociateAccessPolicy',
  'CreatePodIdentityAssociation',
  'UpdatePodIdentityAssociation',
  'DeletePodIdentityAssociation',
] as const;

/** Services that publish alerts to the topic: EventBridge rules and CloudWatch alarms. */
export const ALERT_PUBLISHER_SERVICES = ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] as const;

export interface SecurityAlertsProps {
  /** Name of the product's EKS cluster (may be a token). */
  readonly clusterName: string;
  /** Email addresses subscribed to the alerts (each must confirm its subscription). */
  readonly emailSubscriptions: string[];
  /** GuardDuty findings below this severity do not alert (GuardDuty: 1-3.9 low, 4-6.9 medium, 7+ high). @default 4 */
  readonly minimumFindingSeverity?: number;
}

/**
 * The product's security alerts (CC-DET, IR): an encrypted SNS topic that only EventBridge and CloudWatch of this
 * account publish to, and EventBridge rules for the admin APIs (ADM-1..12), access-entry and pod-identity changes,
 * and GuardDuty findings on the cluster. CloudTrail delivers the API calls to EventBridge on a best-effort basis:
 * the alerts speed up detection, the trail stays the record.
 */
export class SecurityAlerts extends Construct {
  readonly topic: sns.ITopic;
  readonly key: kms.IKey;
  /** The EventBridge rules that publish to the topic. */
  readonly rules: {
    adminApis: events.Rule;
    clusterCreation: events.Rule;
    accessChanges: events.Rule;
    guardDutyFindings: events.Rule;
  };

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    const publishers = ALERT_PUBLISHER_SERVICES.map((service) => new iam.ServicePrincipal(service));

    const key = retainedRotatingKey(this, 'Key', 'Hardened EKS security alerts topic');
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlertPublishersOfThisAccount',
        principals: publishers,
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    const topic = new sns.Topic(this, 'Topic', { displayName: 'Hardened EKS security alerts', masterKey: key });
    Tags.of(topic).add(PRODUCT_TAG_KEY, props.clusterName);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlertPublishersOfThisAccount',
        principals: publishers,
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyPublishWithoutTls',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    for (const email of props.emailSubscriptions) topic.addSubscription(new subscriptions.EmailSubscription(email));

    // aws-events-targets' SnsTopic would add its own unconditioned allow for events.amazonaws.com to the topic policy.
    const toTopic = (input: events.RuleTargetInput): events.IRuleTarget => ({
      bind: () => ({ arn: topic.topicArn, input }),
    });
    const apiCallAlert = toTopic(
      events.RuleTargetInput.fromText(
        `EKS ${events.EventField.fromPath('$.detail.eventName')} in account ${events.EventField.account} ${events.EventField.region} ` +
          `by ${events.EventField.fromPath('$.detail.userIdentity.arn')} from ${events.EventField.fromPath('$.detail.sourceIPAddress')} ` +
          `at ${events.EventField.time} (CloudTrail event ${events.EventField.fromPath('$.detail.eventID')}); ` +
          `request: ${events.EventField.fromPath('$.detail.requestParameters')}`,
      ),
    );
    const eksApiCalls = (eventNames: readonly string[], ofThisCluster: boolean): events.EventPattern => ({
      source: ['aws.eks'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['eks.amazonaws.com'],
        eventName: [...eventNames],
        // CloudTrail records the cluster of /clusters/{name}/... calls as requestParameters.name; clusterName is
        // matched as well in case a call records the member name instead.
        ...(ofThisCluster
          ? {
              $or: [
                { requestParameters: { name: [props.clusterName] } },
                { requestParameters: { clusterName: [props.clusterName] } },
              ],
            }
          : {}),
      },
    });
    const rule = (rid: string, description: string, eventPattern: events.EventPattern, target: events.IRuleTarget) =>
      new events.Rule(this, rid, { description, eventPattern, targets: [target] });

    this.rules = {
      adminApis: rule(
        'AdminApiCalls',
        'Guarded EKS API calls on this cluster (ADM-*)',
        eksApiCalls(
          ADMIN_API_EVENT_NAMES.filter(
            (name) =>
              !CLUSTER_CREATION_EVENT_NAMES.includes(name) &&
              !(ACCESS_ENTRY_EVENT_NAMES as readonly string[]).includes(name),
          ),
          true,
        ),
        apiCallAlert,
      ),
      clusterCreation: rule(
        'ClusterCreation',
        'EKS clusters created or registered in this account (ADM-7, ADM-31)',
        eksApiCalls(CLUSTER_CREATION_EVENT_NAMES, false),
        apiCallAlert,
      ),
      accessChanges: rule(
        'AccessChanges',
        'Access entry, access policy and pod identity changes on this cluster',
        eksApiCalls(ACCESS_ENTRY_EVENT_NAMES, true),
        apiCallAlert,
      ),
      guardDutyFindings: rule(
        'GuardDutyFindings',
        'GuardDuty findings on this cluster',
        {
          source: ['aws.guardduty'],
          detailType: ['GuardDuty Finding'],
          detail: {
            resource: { resourceType: ['EKSCluster'], eksClusterDetails: { name: [props.clusterName] } },
            severity: [{ numeric: ['>=', props.minimumFindingSeverity ?? 4] }],
          },
        },
        toTopic(
          events.RuleTargetInput.fromText(
            `GuardDuty ${events.EventField.fromPath('$.detail.type')} (severity ${events.EventField.fromPath('$.detail.severity')}) ` +
              `on EKS cluster ${events.EventField.fromPath('$.detail.resource.eksClusterDetails.name')} in account ${events.EventField.account} ` +
              `${events.EventField.region}: ${events.EventField.fromPath('$.detail.title')} (finding ${events.EventField.fromPath('$.detail.id')})`,
          ),
        ),
      ),
    };
    this.topic = topic;
    this.key = key;
  }
}
