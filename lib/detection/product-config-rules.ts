import * as config from 'aws-cdk-lib/aws-config';
import { AssumptionError } from 'aws-cdk-lib';
import { lit } from 'aws-cdk-lib/core/lib/helpers-internal';
import { Construct } from 'constructs';

/** Tag the product puts on its own security groups, repositories and topics; its value is the cluster name. */
export const PRODUCT_TAG_KEY = 'hardened-eks:cluster';

/** Tag EKS puts on every instance of a managed node group; its value is the cluster name. */
export const NODE_CLUSTER_TAG_KEY = 'eks:cluster-name';

/** The five control-plane log types of EKS. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Longest rule-name suffix: the cluster name may have 100 characters, a ConfigRuleName at most 128. */
export const MAX_RULE_NAME_SUFFIX = 27;

/** Which resources a rule evaluates (see `ProductConfigRules` for why periodic rules have no scope). */
type RuleScope = 'cluster' | 'nodes' | 'product' | 'defaultSecurityGroup' | 'periodic';

interface ManagedRuleSpec {
  /** AWS Config managed-rule identifier (Source.SourceIdentifier). */
  readonly identifier: string;
  /** Suffix of the rule name after the cluster name. */
  readonly nameSuffix: string;
  readonly description: string;
  readonly scope: RuleScope;
  readonly parameters?: (props: ProductConfigRulesProps) => Record<string, string> | undefined;
}

// Trigger types and parameters as documented for each managed rule; "hybrid" rules (configuration change and
// periodic) are scoped like configuration-change rules.
const RULES: readonly ManagedRuleSpec[] = [
  {
    identifier: 'EKS_ENDPOINT_NO_PUBLIC_ACCESS',
    nameSuffix: 'eks-endpoint-private',
    scope: 'periodic',
    description: 'EKS API endpoints are not reachable from the internet (TH-1)',
  },
  {
    identifier: 'EKS_SECRETS_ENCRYPTED',
    nameSuffix: 'eks-secrets-encrypted',
    scope: 'periodic',
    description: 'EKS clusters envelope-encrypt Kubernetes secrets with KMS',
    parameters: (p) => (p.secretsKeyArns?.length ? { kmsKeyArns: p.secretsKeyArns.join(',') } : undefined),
  },
  {
    identifier: 'EKS_CLUSTER_LOGGING_ENABLED',
    nameSuffix: 'eks-logging-enabled',
    scope: 'periodic',
    description: 'EKS clusters of the account send every control-plane log type (the rule takes no parameter)',
  },
  {
    identifier: 'EKS_CLUSTER_LOG_ENABLED',
    nameSuffix: 'eks-log-types',
    scope: 'cluster',
    description: 'This cluster sends all five control-plane log types, evaluated on every change',
    parameters: () => ({ logTypes: EKS_CONTROL_PLANE_LOG_TYPES.join(',') }),
  },
  {
    identifier: 'EKS_CLUSTER_SUPPORTED_VERSION',
    nameSuffix: 'eks-supported-version',
    scope: 'cluster',
    description: 'This cluster runs a Kubernetes version AWS still supports',
    parameters: (p) => ({ oldestVersionSupported: p.oldestSupportedKubernetesVersion }),
  },
  {
    identifier: 'EC2_IMDSV2_CHECK',
    nameSuffix: 'nodes-imdsv2',
    scope: 'nodes',
    description: 'Worker nodes require IMDSv2 (LM-1)',
  },
  {
    identifier: 'EC2_INSTANCE_NO_PUBLIC_IP',
    nameSuffix: 'nodes-no-public-ip',
    scope: 'nodes',
    description: 'Worker nodes have no public IPv4 address',
  },
  {
    identifier: 'INCOMING_SSH_DISABLED',
    nameSuffix: 'sg-no-open-ssh',
    scope: 'product',
    description: 'Product security groups do not open SSH to the internet',
  },
  {
    identifier: 'RESTRICTED_INCOMING_TRAFFIC',
    nameSuffix: 'sg-no-open-common-ports',
    scope: 'product',
    description: 'Product security groups do not open common administration ports to the internet',
  },
  {
    identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
    nameSuffix: 'vpc-default-sg-closed',
    scope: 'defaultSecurityGroup',
    description: 'The default security group of the product VPC allows no traffic',
  },
  {
    identifier: 'VPC_FLOW_LOGS_ENABLED',
    nameSuffix: 'vpc-flow-logs',
    scope: 'periodic',
    description: 'VPCs of the account log all flows',
    parameters: () => ({ trafficType: 'ALL' }),
  },
  {
    identifier: 'ECR_PRIVATE_IMAGE_SCANNING_ENABLED',
    nameSuffix: 'ecr-image-scanning',
    scope: 'periodic',
    description: 'Private ECR repositories scan images on push or continuously (PV-6)',
  },
  {
    identifier: 'ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED',
    nameSuffix: 'ecr-tag-immutability',
    scope: 'product',
    description: 'Product repositories have immutable tags (PV-6)',
  },
  {
    identifier: 'ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED',
    nameSuffix: 'ecr-lifecycle-policy',
    scope: 'product',
    description: 'Product repositories have a lifecycle policy',
  },
  {
    identifier: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED',
    nameSuffix: 'log-groups-encrypted',
    scope: 'periodic',
    description: 'Log groups of the account are encrypted with KMS',
  },
  {
    identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
    nameSuffix: 'kms-key-rotation',
    scope: 'periodic',
    description: 'Customer-managed KMS keys of the account rotate',
  },
  {
    identifier: 'SNS_ENCRYPTED_KMS',
    nameSuffix: 'sns-encrypted',
    scope: 'product',
    description: 'Product topics are encrypted with KMS',
  },
];

/** SourceIdentifiers of the AWS Config managed rules a launched product deploys. */
export const PRODUCT_CONFIG_RULE_IDENTIFIERS: readonly string[] = RULES.map((r) => r.identifier);

export interface ProductConfigRulesProps {
  /** Name of the product's EKS cluster (may be a token): scopes the cluster rules and prefixes every rule name. */
  readonly clusterName: string;
  /** Oldest Kubernetes version AWS still supports, e.g. '1.30' (EKS_CLUSTER_SUPPORTED_VERSION). */
  readonly oldestSupportedKubernetesVersion: string;
  /** Value of `PRODUCT_TAG_KEY` on the product's security groups, repositories and topics (normally the cluster name). */
  readonly productTagValue: string;
  /** Value of the `eks:cluster-name` tag on the worker nodes. @default clusterName */
  readonly nodeTagValue?: string;
  /**
   * ID of the product VPC's default security group. Without it there is no VPC_DEFAULT_SECURITY_GROUP_CLOSED rule:
   * unscoped, every launch would evaluate every default security group of the account.
   * @default - no rule
   */
  readonly defaultSecurityGroupId?: string;
  /** KMS keys that may encrypt the cluster's secrets (EKS_SECRETS_ENCRYPTED kmsKeyArns). @default - any KMS key */
  readonly secretsKeyArns?: string[];
  /** How often periodic rules run. @default MaximumExecutionFrequency.TWENTY_FOUR_HOURS */
  readonly periodicFrequency?: config.MaximumExecutionFrequency;
}

/**
 * AWS Config managed rules for the product's resources (CC-DET). They need a configuration recorder in the account
 * and region (see `AccountBaselineStack`); without one they stay without evaluations.
 *
 * Configuration-change rules are scoped to this launch: the cluster rules to the cluster by name, the node rules
 * by the `eks:cluster-name` tag EKS puts on node instances, the rules on security groups, repositories and topics by
 * `PRODUCT_TAG_KEY`. Periodic rules cannot be scoped (AWS Config evaluates them over every resource of their
 * types in the account), so each launch's periodic rules also report on resources of other launches.
 */
export class ProductConfigRules extends Construct {
  /** The rules by SourceIdentifier. */
  readonly rules: ReadonlyMap<string, config.CfnConfigRule>;

  constructor(scope: Construct, id: string, props: ProductConfigRulesProps) {
    super(scope, id);
    const frequency = props.periodicFrequency ?? config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS;
    const rules = new Map<string, config.CfnConfigRule>();
    for (const spec of RULES) {
      if (spec.nameSuffix.length > MAX_RULE_NAME_SUFFIX)
        throw new AssumptionError(lit`ConfigRuleNameSuffixTooLong`, `rule name suffix ${spec.nameSuffix} is too long`);
      const ruleScope = this.scopeOf(spec.scope, props);
      if (ruleScope === null) continue;
      const parameters = spec.parameters?.(props);
      rules.set(
        spec.identifier,
        new config.CfnConfigRule(this, spec.identifier, {
          configRuleName: `${props.clusterName}-${spec.nameSuffix}`,
          description: spec.description,
          source: { owner: 'AWS', sourceIdentifier: spec.identifier },
          inputParameters: parameters,
          scope: ruleScope,
          maximumExecutionFrequency: spec.scope === 'periodic' ? frequency : undefined,
        }),
      );
    }
    this.rules = rules;
  }

  /** The rule's Scope; undefined for periodic rules, null when the rule does not apply. */
  private scopeOf(
    kind: RuleScope,
    props: ProductConfigRulesProps,
  ): config.CfnConfigRule.ScopeProperty | undefined | null {
    switch (kind) {
      case 'cluster':
        return { complianceResourceTypes: ['AWS::EKS::Cluster'], complianceResourceId: props.clusterName };
      case 'nodes':
        return { tagKey: NODE_CLUSTER_TAG_KEY, tagValue: props.nodeTagValue ?? props.clusterName };
      case 'product':
        return { tagKey: PRODUCT_TAG_KEY, tagValue: props.productTagValue };
      case 'defaultSecurityGroup':
        return props.defaultSecurityGroupId === undefined
          ? null
          : {
              complianceResourceTypes: ['AWS::EC2::SecurityGroup'],
              complianceResourceId: props.defaultSecurityGroupId,
            };
      case 'periodic':
        return undefined;
    }
  }
}
