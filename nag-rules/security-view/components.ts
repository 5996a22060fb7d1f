import { CLUSTER_TYPES, HELM_CHART_TYPES, KUBERNETES_RESOURCE_TYPES } from '../core/kubernetes-objects';
import { isObject, TemplateModel, TemplateResource } from '../core/template-model';
import { Owner } from '../matrix/owners';

/**
 * The components of a product as the security view draws them: every resource of a template belongs to exactly one
 * component, found by its type (and, for helpers such as roles, policies and layers, by the component that uses
 * it). A type nobody classified lands in `unclassified`, so nothing disappears from the view.
 */

/** The trust boundaries of the view, outermost first (`parent` nests one in another). */
export type BoundaryId =
  | 'internet'
  | 'corporate'
  | 'other-accounts'
  | 'aws-control-plane'
  | 'account'
  | 'vpc'
  | 'cluster'
  | 'unclassified';

export interface Boundary {
  readonly id: BoundaryId;
  readonly title: string;
  readonly parent?: BoundaryId;
}

export const BOUNDARIES: readonly Boundary[] = [
  { id: 'internet', title: 'Internet' },
  { id: 'corporate', title: 'Corporate network' },
  { id: 'other-accounts', title: 'Other accounts of the organization' },
  { id: 'aws-control-plane', title: 'AWS-managed control plane (EKS service account)' },
  { id: 'account', title: "The product's AWS account" },
  { id: 'vpc', title: 'VPC', parent: 'account' },
  { id: 'cluster', title: 'Cluster data plane', parent: 'vpc' },
  { id: 'unclassified', title: 'Unclassified (no security view for this type yet)' },
];

/** What kind of component, where it sits, and who runs it. */
export interface ComponentKind {
  readonly id: string;
  readonly title: string;
  readonly boundary: BoundaryId;
  /** Who runs it; none for the actors around the product (the internet, people, other accounts). */
  readonly owner?: Owner;
  /** Who does what, when the owner is not the only party. */
  readonly split?: string;
  /**
   * Set for a component the template does not contain but implies (people, the consumer's workloads): the kinds
   * whose presence brings it into the view.
   */
  readonly impliedBy?: readonly string[];
  /** Controls that bind the component although no rule judges one of its resources (implied components). */
  readonly controls?: readonly string[];
}

const CLUSTER = ['control-plane'];

export const COMPONENT_KINDS: readonly ComponentKind[] = [
  // Around the product
  { id: 'internet', title: 'Internet', boundary: 'internet', impliedBy: CLUSTER },
  {
    id: 'corporate-users',
    title: 'People on the corporate network (platform, consumer and security teams)',
    boundary: 'corporate',
    impliedBy: CLUSTER,
  },
  {
    id: 'organization-buckets',
    title: 'S3 buckets of the organization',
    boundary: 'other-accounts',
    impliedBy: ['gateway-endpoints'],
  },
  // AWS-managed
  {
    id: 'control-plane',
    title: 'EKS control plane (API server, etcd)',
    boundary: 'aws-control-plane',
    owner: 'aws',
    split:
      'AWS runs, patches and scales it; the platform team sets endpoint access, logging, secrets encryption and the authentication mode.',
  },
  {
    id: 'admin-apis',
    title: 'EKS admin APIs (ADM-1..12)',
    boundary: 'aws-control-plane',
    owner: 'aws',
    impliedBy: CLUSTER,
    controls: ['IDN-5', 'IDN-6', 'DET-3'],
    split: 'AWS serves the API; the platform team limits who may call it (guardrail policy, SCP) and alerts on calls.',
  },
  {
    id: 'cluster-access',
    title: 'Cluster access (access entries, OIDC provider)',
    boundary: 'aws-control-plane',
    owner: 'platform-team',
  },
  {
    id: 'fargate',
    title: 'Fargate profiles',
    boundary: 'cluster',
    owner: 'aws',
    split: 'AWS runs and patches the Fargate hosts; the platform team chooses which pods run there.',
  },
  // The cluster's data plane
  {
    id: 'node-group',
    title: 'Managed node group (launch template, node role)',
    boundary: 'cluster',
    owner: 'shared',
    split: 'AWS provisions and replaces the instances; the platform team chooses the AMI release and patches it.',
  },
  { id: 'self-managed-nodes', title: 'Self-managed nodes', boundary: 'cluster', owner: 'platform-team' },
  {
    id: 'add-ons',
    title: 'Managed add-ons (VPC CNI, CoreDNS, kube-proxy, Pod Identity, GuardDuty agent)',
    boundary: 'cluster',
    owner: 'shared',
    split: 'AWS builds and patches the add-on versions; the platform team pins them and gives them their roles.',
  },
  {
    id: 'kubernetes-objects',
    title: 'Kubernetes objects of the product (namespaces, policies, RBAC, Calico, kube-bench)',
    boundary: 'cluster',
    owner: 'platform-team',
  },
  {
    id: 'workloads',
    title: 'Consumer workloads (pods, their own network policies and service accounts)',
    boundary: 'cluster',
    owner: 'consumer-team',
    impliedBy: CLUSTER,
    controls: ['K8S-7', 'K8S-8', 'K8S-13'],
    split:
      "The consumer team writes and runs them; the product's namespaces enforce Pod Security restricted and the network baseline, which the team's own policies must keep (skip the quarantine label).",
  },
  // The VPC
  { id: 'vpc', title: 'VPC', boundary: 'vpc', owner: 'platform-team' },
  {
    id: 'public-subnets',
    title: 'Public subnets (NAT gateways, internet gateway)',
    boundary: 'vpc',
    owner: 'platform-team',
  },
  { id: 'private-subnets', title: 'Private subnets', boundary: 'vpc', owner: 'platform-team' },
  { id: 'interface-endpoints', title: 'Interface VPC endpoints', boundary: 'vpc', owner: 'platform-team' },
  { id: 'gateway-endpoints', title: 'S3 gateway endpoint', boundary: 'vpc', owner: 'platform-team' },
  { id: 'security-groups', title: 'Security groups', boundary: 'vpc', owner: 'platform-team' },
  { id: 'flow-logs', title: 'VPC flow logs', boundary: 'vpc', owner: 'platform-team' },
  { id: 'in-vpc-functions', title: 'kubectl handler (in-VPC Lambda)', boundary: 'vpc', owner: 'platform-team' },
  { id: 'responder', title: 'Incident responder (in-VPC Lambda)', boundary: 'vpc', owner: 'platform-team' },
  // The account's regional services
  { id: 'registry', title: 'ECR repositories', boundary: 'account', owner: 'platform-team' },
  {
    id: 'images',
    title: "Consumer images (pushed to the product's repositories)",
    boundary: 'account',
    owner: 'consumer-team',
    impliedBy: ['registry'],
    controls: ['REG-1', 'REG-2'],
    split: 'The consumer team builds, pushes and fixes its images; the repositories scan them and keep tags immutable.',
  },
  {
    id: 'workload-identities',
    title: 'Consumer workload roles (IRSA, Pod Identity)',
    boundary: 'account',
    owner: 'consumer-team',
    impliedBy: ['cluster-access'],
    controls: ['IDN-2', 'REM-3'],
    split:
      'The consumer team writes the roles and their policies; the incident-response runbook may revoke their sessions.',
  },
  { id: 'buckets', title: 'S3 buckets (evidence, access logs)', boundary: 'account', owner: 'platform-team' },
  { id: 'keys', title: 'KMS keys', boundary: 'account', owner: 'platform-team' },
  { id: 'log-groups', title: 'CloudWatch log groups', boundary: 'account', owner: 'platform-team' },
  { id: 'alarms', title: 'CloudWatch alarms', boundary: 'account', owner: 'platform-team' },
  { id: 'alert-topic', title: 'Security alert topic (SNS)', boundary: 'account', owner: 'platform-team' },
  { id: 'event-rules', title: 'EventBridge alert rules', boundary: 'account', owner: 'platform-team' },
  { id: 'config-rules', title: 'AWS Config rules', boundary: 'account', owner: 'platform-team' },
  {
    id: 'session-manager',
    title: 'Session Manager (session preferences)',
    boundary: 'account',
    owner: 'platform-team',
  },
  { id: 'runbooks', title: 'Incident-response runbooks (SSM Automation)', boundary: 'account', owner: 'platform-team' },
  { id: 'iam', title: 'IAM roles and policies (others)', boundary: 'account', owner: 'platform-team' },
  {
    id: 'deployment-helpers',
    title: 'Deployment helpers (CDK custom resources)',
    boundary: 'account',
    owner: 'platform-team',
  },
  { id: 'unclassified', title: 'Unclassified resources', boundary: 'unclassified', owner: 'platform-team' },
];

export const KIND_BY_ID: ReadonlyMap<string, ComponentKind> = new Map(COMPONENT_KINDS.map((k) => [k.id, k]));

/** One component of a template: its kind and the resources in it (none for an implied component). */
export interface Component {
  readonly kind: ComponentKind;
  readonly resources: readonly { readonly logicalId: string; readonly type: string }[];
}

/** Component of a resource by its type alone; `undefined` for helpers (found by who uses them) and subnet parts. */
const BY_TYPE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(CLUSTER_TYPES.map((t) => [t, 'control-plane'])),
  ...Object.fromEntries(
    [...KUBERNETES_RESOURCE_TYPES, ...HELM_CHART_TYPES, 'Custom::AWSCDK-EKS-KubernetesPatch'].map((t) => [
      t,
      'kubernetes-objects',
    ]),
  ),
  'AWS::EKS::AccessEntry': 'cluster-access',
  'AWS::EKS::AccessPolicyAssociation': 'cluster-access',
  'AWS::IAM::OIDCProvider': 'cluster-access',
  'AWS::EKS::IdentityProviderConfig': 'cluster-access',
  'AWS::EKS::PodIdentityAssociation': 'cluster-access',
  'Custom::AWSCDKOpenIdConnectProvider': 'cluster-access',
  'AWS::EKS::FargateProfile': 'fargate',
  'AWS::EKS::Nodegroup': 'node-group',
  'AWS::EC2::LaunchTemplate': 'node-group',
  'AWS::AutoScaling::AutoScalingGroup': 'self-managed-nodes',
  'AWS::AutoScaling::LaunchConfiguration': 'self-managed-nodes',
  'AWS::EC2::Instance': 'self-managed-nodes',
  'AWS::EKS::Addon': 'add-ons',
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::VPCCidrBlock': 'vpc',
  'AWS::EC2::DHCPOptions': 'vpc',
  'AWS::EC2::VPCDHCPOptionsAssociation': 'vpc',
  'AWS::EC2::NetworkAcl': 'vpc',
  'AWS::EC2::NetworkAclEntry': 'vpc',
  'AWS::EC2::SubnetNetworkAclAssociation': 'vpc',
  'Custom::VpcRestrictDefaultSG': 'vpc',
  'AWS::EC2::InternetGateway': 'public-subnets',
  'AWS::EC2::VPCGatewayAttachment': 'public-subnets',
  'AWS::EC2::EgressOnlyInternetGateway': 'public-subnets',
  'AWS::EC2::SecurityGroup': 'security-groups',
  'AWS::EC2::SecurityGroupIngress': 'security-groups',
  'AWS::EC2::SecurityGroupEgress': 'security-groups',
  'AWS::EC2::FlowLog': 'flow-logs',
  'AWS::ECR::Repository': 'registry',
  'AWS::ECR::RegistryPolicy': 'registry',
  'AWS::ECR::ReplicationConfiguration': 'registry',
  'AWS::ECR::PullThroughCacheRule': 'registry',
  'AWS::S3::Bucket': 'buckets',
  'AWS::S3::BucketPolicy': 'buckets',
  'AWS::KMS::Key': 'keys',
  'AWS::KMS::Alias': 'keys',
  'AWS::Logs::LogGroup': 'log-groups',
  'AWS::Logs::MetricFilter': 'log-groups',
  'AWS::Logs::SubscriptionFilter': 'log-groups',
  'AWS::CloudWatch::Alarm': 'alarms',
  'AWS::SNS::Topic': 'alert-topic',
  'AWS::SNS::TopicPolicy': 'alert-topic',
  'AWS::SNS::Subscription': 'alert-topic',
  'AWS::Events::Rule': 'event-rules',
  'AWS::Config::ConfigRule': 'config-rules',
  'AWS::SSM::Parameter': 'deployment-helpers',
  'Custom::AWS': 'deployment-helpers',
  'AWS::Lambda::Permission': 'deployment-helpers',
};

/** Types that belong to whoever uses them (a role to its function, a policy to its role, a layer to its function). */
const HELPER_TYPES: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'iam',
  'AWS::IAM::Policy': 'iam',
  'AWS::IAM::ManagedPolicy': 'iam',
  'AWS::IAM::InstanceProfile': 'iam',
  'AWS::Lambda::LayerVersion': 'deployment-helpers',
  'Custom::AWSCDKCfnJson': 'deployment-helpers',
};

/** Subnets and the pieces that route them, by tier. */
const SUBNET_PARTS = [
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
];

/** The component kind of every resource of a template, by logical ID. */
export function classifyResources(model: TemplateModel): Map<string, string> {
  const kinds = new Map<string, string>();
  const automationDocuments = model
    .resourcesOfType('AWS::SSM::Document')
    .filter(([, r]) => r.Properties?.DocumentType === 'Automation');
  const invokedByRunbooks = new Set(automationDocuments.flatMap(([, r]) => model.referencedIds(r.Properties)));
  const publicSubnets = publicSubnetIds(model);
  for (const [id, r] of model.resources) {
    const kind =
      BY_TYPE[r.Type] ??
      (SUBNET_PARTS.includes(r.Type) ? subnetTier(model, id, r, publicSubnets) : undefined) ??
      ownKind(r, id, invokedByRunbooks);
    if (kind) kinds.set(id, kind);
  }
  // Helpers take the kind of the component that uses them; a policy follows its role, so repeat until nothing moves.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, r] of model.resources) {
      if (kinds.has(id) || !(r.Type in HELPER_TYPES)) continue;
      const user = helperUser(model, id, r, kinds);
      if (user) {
        kinds.set(id, user);
        changed = true;
      }
    }
  }
  for (const [id, r] of model.resources) if (!kinds.has(id)) kinds.set(id, HELPER_TYPES[r.Type] ?? 'unclassified');
  return kinds;
}

function ownKind(r: TemplateResource, id: string, invokedByRunbooks: ReadonlySet<string>): string | undefined {
  const p = r.Properties ?? {};
  if (r.Type === 'AWS::EC2::VPCEndpoint')
    return p.VpcEndpointType === 'Interface' || p.VpcEndpointType === 'GatewayLoadBalancer'
      ? 'interface-endpoints'
      : 'gateway-endpoints';
  if (r.Type === 'AWS::SSM::Document')
    return p.DocumentType === 'Automation'
      ? 'runbooks'
      : p.DocumentType === 'Session' || (isObject(p.Content) && 'sessionType' in p.Content)
        ? 'session-manager'
        : 'deployment-helpers';
  if (r.Type === 'AWS::Lambda::Function')
    return invokedByRunbooks.has(id) ? 'responder' : p.VpcConfig ? 'in-vpc-functions' : 'deployment-helpers';
  return undefined;
}

/** The subnets routed to an internet gateway, or that give instances public addresses. */
function publicSubnetIds(model: TemplateModel): Set<string> {
  const gateways = new Set(model.resourcesOfType('AWS::EC2::InternetGateway').map(([id]) => id));
  const publicTables = new Set(
    model
      .resourcesOfType('AWS::EC2::Route')
      .filter(([, r]) => gateways.has(model.referencedId(r.Properties?.GatewayId) ?? ''))
      .map(([, r]) => model.referencedId(r.Properties?.RouteTableId)),
  );
  const found = new Set<string>();
  for (const [id, r] of model.resourcesOfType('AWS::EC2::Subnet')) {
    const tags = Array.isArray(r.Properties?.Tags) ? r.Properties.Tags : [];
    const tagged = tags.some((t: unknown) => isObject(t) && t.Key === 'aws-cdk:subnet-type' && t.Value === 'Public');
    const routed = model
      .referrers(id, 'AWS::EC2::SubnetRouteTableAssociation')
      .some(([, a]) => publicTables.has(model.referencedId(a.Properties?.RouteTableId)));
    if (r.Properties?.MapPublicIpOnLaunch === true || tagged || routed) found.add(id);
  }
  return found;
}

/** `public-subnets` or `private-subnets` for a subnet or a part of its routing, by the subnet it serves. */
function subnetTier(model: TemplateModel, id: string, r: TemplateResource, publicSubnets: ReadonlySet<string>): string {
  const p = r.Properties ?? {};
  let subnets: string[] = [];
  if (r.Type === 'AWS::EC2::Subnet') subnets = [id];
  else if (r.Type === 'AWS::EC2::SubnetRouteTableAssociation' || r.Type === 'AWS::EC2::NatGateway')
    subnets = [model.referencedId(p.SubnetId) ?? ''];
  else if (r.Type === 'AWS::EC2::RouteTable' || r.Type === 'AWS::EC2::Route') {
    const table = r.Type === 'AWS::EC2::RouteTable' ? id : (model.referencedId(p.RouteTableId) ?? '');
    subnets = model
      .referrers(table, 'AWS::EC2::SubnetRouteTableAssociation')
      .map(([, a]) => model.referencedId(a.Properties?.SubnetId) ?? '');
  } else if (r.Type === 'AWS::EC2::EIP')
    subnets = model
      .referrers(id, 'AWS::EC2::NatGateway')
      .map(([, nat]) => model.referencedId(nat.Properties?.SubnetId) ?? '');
  return subnets.some((s) => publicSubnets.has(s)) ? 'public-subnets' : 'private-subnets';
}

/** The kind of the component that uses a helper: the first classified referrer, or for a policy its role. */
function helperUser(
  model: TemplateModel,
  id: string,
  r: TemplateResource,
  kinds: ReadonlyMap<string, string>,
): string | undefined {
  if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::InstanceProfile') {
    const roles = Array.isArray(r.Properties?.Roles) ? r.Properties.Roles : [];
    for (const role of roles) {
      const kind = kinds.get(model.referencedId(role) ?? '');
      if (kind) return kind;
    }
  }
  for (const [referrer] of model.referrers(id)) {
    const kind = kinds.get(referrer);
    if (kind) return kind;
  }
  return undefined;
}

/** The components of a template: one per kind that has resources, plus the implied ones, in the order of the kinds. */
export function componentsOf(model: TemplateModel): Component[] {
  const kinds = classifyResources(model);
  const members = new Map<string, { logicalId: string; type: string }[]>();
  for (const [id, kind] of kinds) {
    const list = members.get(kind) ?? [];
    list.push({ logicalId: id, type: model.resources.get(id)!.Type });
    members.set(kind, list);
  }
  const present = new Set(members.keys());
  return COMPONENT_KINDS.filter((k) => present.has(k.id) || k.impliedBy?.some((by) => present.has(by))).map((kind) => ({
    kind,
    resources: members.get(kind.id) ?? [],
  }));
}
