import { CfnCondition, CfnParameter, CfnRule, Fn, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { roleArnOfThisAccount } from '../../lib/identity/role-of-this-account';
import { HardenedEksSettings } from './settings';

/** An IAM role name with its path, if any (`PaymentsAdmin`, `teams/payments/Admin`): no wildcard can pass. */
const ROLE_NAME = '(?:[\\w+=,.@-]+/){0,20}[\\w+=,.@-]{1,64}';

/**
 * The CloudFormation parameters a consumer team fills in at launch, each constrained to what the platform
 * allows, and the template rules for combinations (checked before anything is created).
 */
export class ProductParameters extends Construct {
  readonly clusterName: CfnParameter;
  readonly kubernetesVersion: CfnParameter;
  readonly nodeInstanceType: CfnParameter;
  readonly nodeMinSize: CfnParameter;
  readonly nodeMaxSize: CfnParameter;
  readonly clusterAdminRoleName: CfnParameter;
  readonly namespaceEditorRoleName: CfnParameter;
  readonly namespaceViewerRoleName: CfnParameter;
  readonly corporateCidrs: CfnParameter;
  readonly vpcMode: CfnParameter;
  readonly existingVpcId: CfnParameter;
  readonly existingPrivateSubnetIds: CfnParameter;
  readonly createVpc: CfnCondition;
  readonly hasNamespaceEditor: CfnCondition;
  readonly hasNamespaceViewer: CfnCondition;

  constructor(scope: Construct, id: string, settings: HardenedEksSettings) {
    super(scope, id);
    const param = (name: string, props: ConstructorParameters<typeof CfnParameter>[2]) => {
      const p = new CfnParameter(this, name, props);
      p.overrideLogicalId(name);
      return p;
    };
    this.clusterName = param('ClusterName', {
      type: 'String',
      description: 'Name of the EKS cluster (letters, digits, hyphens; starts with a letter)',
      allowedPattern: '^[a-zA-Z][a-zA-Z0-9-]{0,99}$',
      minLength: 1,
      maxLength: 100,
      constraintDescription: 'must start with a letter and contain only letters, digits and hyphens (at most 100)',
    });
    this.kubernetesVersion = param('KubernetesVersion', {
      type: 'String',
      description: 'Kubernetes minor version',
      allowedValues: settings.kubernetesVersions,
      default: settings.kubernetesVersions[settings.kubernetesVersions.length - 1],
    });
    this.nodeInstanceType = param('NodeInstanceType', {
      type: 'String',
      description: 'Instance type of the worker nodes',
      allowedValues: settings.instanceTypes,
      default: settings.instanceTypes[0],
    });
    this.nodeMinSize = param('NodeMinSize', {
      type: 'Number',
      description: 'Minimum (and initial) number of nodes',
      minValue: 1,
      maxValue: settings.maxNodes,
      default: Math.min(2, settings.maxNodes),
    });
    this.nodeMaxSize = param('NodeMaxSize', {
      type: 'Number',
      description: 'Maximum number of nodes (not below NodeMinSize)',
      minValue: 1,
      maxValue: settings.maxNodes,
      default: Math.min(4, settings.maxNodes),
    });
    // Role names, not ARNs: the access entries build the ARN in the launching account, so no launch can hand the
    // cluster to a role of another account (EKS accepts cross-account principals in standard access entries).
    this.clusterAdminRoleName = param('ClusterAdminRoleName', {
      type: 'String',
      description:
        'Name (with its path, if any) of the IAM role of this account that gets cluster-admin through an access entry',
      allowedPattern: `^${ROLE_NAME}$`,
      constraintDescription:
        'must be the name of an IAM role of this account, like PaymentsAdmin or teams/PaymentsAdmin',
    });
    const namespaceRoleName = (name: string, rights: 'edit' | 'view') =>
      param(name, {
        type: 'String',
        description: `Optional name of an IAM role of this account with ${rights} rights in the workload namespaces`,
        default: '',
        allowedPattern: `^(${ROLE_NAME})?$`,
        constraintDescription: 'must be empty or the name of an IAM role of this account',
      });
    this.namespaceEditorRoleName = namespaceRoleName('NamespaceEditorRoleName', 'edit');
    this.namespaceViewerRoleName = namespaceRoleName('NamespaceViewerRoleName', 'view');
    this.corporateCidrs = param('CorporateCidrs', {
      type: 'CommaDelimitedList',
      description: `Corporate ranges that may reach the private API endpoint (approved: ${settings.corporateCidrs.join(', ')})`,
      default: settings.corporateCidrs.join(','),
    });
    this.vpcMode = param('VpcMode', {
      type: 'String',
      description:
        'CreateVpc: the product creates a private VPC. ExistingVpc: use ExistingVpcId and ExistingPrivateSubnetIds',
      allowedValues: ['CreateVpc', 'ExistingVpc'],
      default: 'CreateVpc',
    });
    this.existingVpcId = param('ExistingVpcId', {
      type: 'String',
      description: 'With ExistingVpc: the VPC ID',
      default: '',
      allowedPattern: '^(vpc-[0-9a-f]{8,17})?$',
      constraintDescription: 'must be empty or a VPC ID like vpc-0123456789abcdef0',
    });
    this.existingPrivateSubnetIds = param('ExistingPrivateSubnetIds', {
      type: 'CommaDelimitedList',
      default: '',
      description: `With ExistingVpc: at least ${settings.availabilityZones} private subnet IDs in different AZs (the first ${settings.availabilityZones} are used)`,
    });

    this.createVpc = condition(this, 'CreateVpc', Fn.conditionEquals(this.vpcMode.valueAsString, 'CreateVpc'));
    this.hasNamespaceEditor = condition(
      this,
      'HasNamespaceEditor',
      Fn.conditionNot(Fn.conditionEquals(this.namespaceEditorRoleName.valueAsString, '')),
    );
    this.hasNamespaceViewer = condition(
      this,
      'HasNamespaceViewer',
      Fn.conditionNot(Fn.conditionEquals(this.namespaceViewerRoleName.valueAsString, '')),
    );

    const existing = new CfnRule(this, 'ExistingVpcNeedsIds', {
      ruleCondition: Fn.conditionEquals(this.vpcMode.valueAsString, 'ExistingVpc'),
      assertions: [
        {
          assert: Fn.conditionNot(Fn.conditionEquals(this.existingVpcId.valueAsString, '')),
          assertDescription: 'ExistingVpc needs ExistingVpcId',
        },
        {
          assert: Fn.conditionNot(Fn.conditionContains(this.existingPrivateSubnetIds.valueAsList, '')),
          assertDescription: 'ExistingVpc needs ExistingPrivateSubnetIds, with no empty entry',
        },
      ],
    });
    existing.overrideLogicalId('ExistingVpcNeedsIds');
    const created = new CfnRule(this, 'CreateVpcTakesNoIds', {
      ruleCondition: Fn.conditionEquals(this.vpcMode.valueAsString, 'CreateVpc'),
      assertions: [
        {
          assert: Fn.conditionEquals(this.existingVpcId.valueAsString, ''),
          assertDescription: 'CreateVpc creates its own VPC: leave ExistingVpcId empty (or choose ExistingVpc)',
        },
        {
          assert: Fn.conditionEachMemberEquals(this.existingPrivateSubnetIds.valueAsList, ''),
          assertDescription:
            'CreateVpc creates its own subnets: leave ExistingPrivateSubnetIds empty (or choose ExistingVpc)',
        },
      ],
    });
    created.overrideLogicalId('CreateVpcTakesNoIds');
    const cidrs = new CfnRule(this, 'CorporateCidrsApproved', {
      assertions: [
        {
          assert: Fn.conditionEachMemberIn(this.corporateCidrs.valueAsList, settings.corporateCidrs),
          assertDescription: `CorporateCidrs must be among the approved ranges: ${settings.corporateCidrs.join(', ')}`,
        },
      ],
    });
    cidrs.overrideLogicalId('CorporateCidrsApproved');
    // Rules cannot compare numbers, so each possible minimum lists the maximums it allows.
    const sizes = new CfnRule(this, 'NodeSizesOrdered', {
      assertions: Array.from({ length: settings.maxNodes }, (_, i) => i + 1).map((min) => ({
        assert: Fn.conditionOr(
          Fn.conditionNot(Fn.conditionEquals(this.nodeMinSize.valueAsString, String(min))),
          Fn.conditionContains(
            Array.from({ length: settings.maxNodes - min + 1 }, (_, j) => String(min + j)),
            this.nodeMaxSize.valueAsString,
          ),
        ),
        assertDescription: `With NodeMinSize ${min}, NodeMaxSize must be from ${min} to ${settings.maxNodes}`,
      })),
    });
    sizes.overrideLogicalId('NodeSizesOrdered');
  }

  /**
   * The consumer's corporate CIDRs as separate values with a condition each: a list parameter has no fixed length,
   * so it is padded and each of the first `max` positions exists only when filled.
   */
  corporateCidrSlots(max: number): { cidr: string; condition: CfnCondition }[] {
    const padded = Fn.split(',', Fn.join('', [Fn.join(',', this.corporateCidrs.valueAsList), ','.repeat(max)]));
    return Array.from({ length: max }, (_, i) => {
      const cidr = Token.asString(Fn.select(i, padded));
      return {
        cidr,
        condition: condition(this, `HasCorporateCidr${i}`, Fn.conditionNot(Fn.conditionEquals(cidr, ''))),
      };
    });
  }
}

function condition(
  scope: Construct,
  name: string,
  expression: import('aws-cdk-lib').ICfnConditionExpression,
): CfnCondition {
  const c = new CfnCondition(scope, name, { expression });
  c.overrideLogicalId(name);
  return c;
}

/** The ARN of a role of the launching account, from a role-name parameter. */
export function roleOfThisAccount(name: CfnParameter): string {
  return roleArnOfThisAccount(name.valueAsString);
}
