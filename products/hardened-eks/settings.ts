import {
  ConfigError, expectArray, expectBoolean, expectCidr, expectInteger, expectObject, expectString, patterns,
} from '../../lib/config/validation';

/** Kubernetes versions this build can operate: kubectl from the v36 layer talks to 1.35–1.37 (±1 minor). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;

/**
 * What the platform team fixes for every launch of the hardened EKS product
 * (read from `cdk.json`, context `catalog.products[].settings`). Consumer teams
 * choose only among the values allowed here, through CloudFormation parameters.
 */
export interface HardenedEksSettings {
  /**
   * The security team's break-glass identities (roles, typically of a security account): the only principals that may
   * assume the break-glass role of each launching account.
   */
  readonly breakGlassRoleArns: string[];
  /**
   * Name of the break-glass role every launching account gets beside the launch role (hub and StackSet): it alone
   * gets cluster-admin and may call the admin EKS APIs (ADM-1..36), from the corporate network only.
   * @default 'HardenedEksBreakGlass'
   */
  readonly breakGlassRoleName: string;
  /** Corporate network ranges (private ones too) that may reach the private Kubernetes API endpoint. */
  readonly corporateCidrs: string[];
  /**
   * Public egress ranges of the corporate network as AWS sees them (`aws:SourceIp`): break-glass calls of the admin
   * APIs from there pass the guardrail. Private ranges never appear in `aws:SourceIp` and are refused.
   * @default [] (then break-glass passes only through corporateVpcEndpointIds)
   */
  readonly corporateEgressCidrs: string[];
  /** VPC endpoint IDs through which break-glass calls of the admin APIs count as "from the corporate network". */
  readonly corporateVpcEndpointIds: string[];
  /** Private source ranges accepted through those endpoints (`aws:VpcSourceIp`). @default [] (any source of the endpoints) */
  readonly corporateVpcSourceCidrs: string[];
  /** Kubernetes versions consumers may choose; the last one is the default. */
  readonly kubernetesVersions: string[];
  /** x86_64 instance types consumers may choose for the node group; the first is the default. */
  readonly instanceTypes: string[];
  /** Upper bound for the node group's maximum size. */
  readonly maxNodes: number;
  /** Address range of a VPC the product creates. */
  readonly vpcCidr: string;
  /** Availability zones (and private subnets) the cluster spans. */
  readonly availabilityZones: 2 | 3;
  /**
   * Whether a created VPC gets NAT gateways. Without them nodes reach AWS only through VPC endpoints, and
   * Calico's chart and images must come from `calico.chartRepository`/`calico.imageRegistry` mirrors in ECR.
   */
  readonly natGateways: boolean;
  /** Days to keep control-plane, flow and session logs. */
  readonly logRetentionDays: number;
  /** Calico (Tigera operator) chart source. */
  readonly calico: { chartRepository: string; chartVersion: string; imageRegistry?: string };
  /** Workload namespaces created with Pod Security `restricted` and the default-deny baseline. */
  readonly workloadNamespaces: string[];
  /** ECR repositories created for the team's images. */
  readonly repositories: string[];
  /** Detective controls: where alerts go and what kube-bench runs (CC-DET). */
  readonly detection: DetectionSettings;
  /** Incident response: evidence retention, responder tools, roles the runbooks may revoke (CC-REM). */
  readonly incidentResponse: IncidentResponseSettings;
  /**
   * The only roles that may push to the security-tools repository and write under the evidence bucket's tools/
   * prefix: what they publish runs as root on the nodes (kube-bench, AVML). From `toolsPublisherRoleArn`; without it,
   * the break-glass roles.
   */
  readonly toolsPublisherRoleArns: string[];
}

export interface DetectionSettings {
  /** E-mail addresses subscribed to the security-alert topic (admin APIs, access entries, GuardDuty, kube-bench). */
  readonly alertEmails: string[];
  /**
   * The product's private ECR repository for security tooling. The platform team copies the pinned kube-bench and
   * aws-cli images into it (tags are immutable there), so nothing is pulled from the internet.
   */
  readonly toolsRepository: string;
  /** Tag of the kube-bench image in the tools repository. */
  readonly kubeBenchImageTag: string;
  /** Tag of the aws-cli image (uploads kube-bench's report to CloudWatch Logs). */
  readonly awsCliImageTag: string;
  /** kube-bench benchmark ID (CIS Amazon EKS Benchmark version). */
  readonly kubeBenchBenchmark: string;
  /** Cron schedule of the kube-bench CronJob (UTC). */
  readonly kubeBenchSchedule: string;
}

export interface IncidentResponseSettings {
  /** Days evidence stays locked (Object Lock, compliance mode) in the evidence bucket. */
  readonly evidenceRetentionDays: number;
  /** SHA-256 of the AVML memory-capture binary the platform team uploads under the evidence bucket's tools/ prefix. */
  readonly avmlSha256?: string;
  /** IAM path of the consumers' workload roles (IRSA, Pod Identity), whose sessions the IR-3 runbook may revoke. */
  readonly workloadRolePath: string;
}

/** Prefix length of each private subnet a created VPC gets (and /24 for each public one with NAT). */
export const PRIVATE_SUBNET_PREFIX = 19;

function vpcLayout(o: Record<string, unknown>, field: string, natGateways: boolean): { vpcCidr: string; availabilityZones: 2 | 3 } {
  const availabilityZones = expectInteger(o.availabilityZones ?? 3, `${field}.availabilityZones`, 2, 3) as 2 | 3;
  const vpcCidr = expectCidr(o.vpcCidr ?? '10.40.0.0/16', `${field}.vpcCidr`, 16);
  const needed = availabilityZones * 2 ** (32 - PRIVATE_SUBNET_PREFIX) + (natGateways ? availabilityZones * 256 : 0);
  if (2 ** (32 - Number(vpcCidr.split('/')[1])) < needed) {
    throw new ConfigError(`${field}.vpcCidr`, `'${vpcCidr}' cannot hold ${availabilityZones} /${PRIVATE_SUBNET_PREFIX} private subnets${natGateways ? ' and their public /24s' : ''}: use /16 or /17`);
  }
  return { vpcCidr, availabilityZones };
}

/** Calico 3.31 is the last line whose tigera-operator chart still carries its CRDs (3.32 moved them to a separate chart). */
export const DEFAULT_CALICO = { chartRepository: 'https://docs.tigera.io/calico/charts', chartVersion: 'v3.31.4' };

const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function parseHardenedEksSettings(raw: unknown, field: string): HardenedEksSettings {
  const o = expectObject(raw, field, [
    'breakGlassRoleArns', 'breakGlassRoleName', 'corporateCidrs', 'corporateEgressCidrs', 'corporateVpcEndpointIds', 'corporateVpcSourceCidrs', 'kubernetesVersions', 'instanceTypes', 'maxNodes',
    'vpcCidr', 'availabilityZones', 'natGateways', 'logRetentionDays', 'calico', 'workloadNamespaces', 'repositories',
    'toolsPublisherRoleArn', 'endpointAccess', 'detection', 'incidentResponse',
  ]);
  if (o.endpointAccess !== undefined && o.endpointAccess !== 'private') {
    throw new ConfigError(`${field}.endpointAccess`, `must be 'private': a public Kubernetes API endpoint is refused (TH-1, PV-1)`);
  }
  const versions = expectArray(o.kubernetesVersions ?? [SUPPORTED_KUBERNETES_VERSIONS[1]], `${field}.kubernetesVersions`, (v, f) => {
    const version = expectString(v, f, patterns.kubernetesVersion, 'a Kubernetes minor version like 1.36');
    if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
      throw new ConfigError(f, `'${version}' is not supported by this build (supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')})`);
    }
    return version;
  }, { minItems: 1 });
  const calicoRaw = expectObject(o.calico ?? {}, `${field}.calico`, ['chartRepository', 'chartVersion', 'imageRegistry']);
  const calico = {
    chartRepository: expectString(calicoRaw.chartRepository ?? DEFAULT_CALICO.chartRepository, `${field}.calico.chartRepository`,
      /^(https:\/\/|oci:\/\/)\S+$/, 'an https:// or oci:// chart repository'),
    chartVersion: expectString(calicoRaw.chartVersion ?? DEFAULT_CALICO.chartVersion, `${field}.calico.chartVersion`,
      /^v3\.(2[89]|3[01])\.\d+$/, 'a tigera-operator chart version from v3.28 to v3.31 (3.32+ needs a separate CRD chart)'),
    imageRegistry: calicoRaw.imageRegistry === undefined ? undefined
      : expectString(calicoRaw.imageRegistry, `${field}.calico.imageRegistry`, /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*\/?$/, 'a registry host like 111122223333.dkr.ecr.eu-west-1.amazonaws.com'),
  };
  const natGateways = expectBoolean(o.natGateways ?? true, `${field}.natGateways`);
  if (!natGateways && (!calico.chartRepository.startsWith('oci://') || !calico.imageRegistry)) {
    throw new ConfigError(`${field}.calico`, 'with natGateways false the cluster has no internet egress: set chartRepository to an oci:// mirror and imageRegistry to a private registry');
  }
  const repositoryNames = o.repositories ?? ['workloads'];
  const breakGlassRoleArns = expectArray(o.breakGlassRoleArns, `${field}.breakGlassRoleArns`,
    (v, f) => expectString(v, f, patterns.iamRoleArn, 'an IAM role ARN like arn:aws:iam::111122223333:role/BreakGlass'), { minItems: 1, maxItems: 10 });
  return {
    breakGlassRoleArns,
    breakGlassRoleName: expectString(o.breakGlassRoleName ?? DEFAULT_BREAK_GLASS_ROLE_NAME, `${field}.breakGlassRoleName`, /^[\w+=,.@-]{1,64}$/,
      'an IAM role name (letters, digits and +=,.@_-, at most 64 characters)'),
    toolsPublisherRoleArns: o.toolsPublisherRoleArn === undefined ? breakGlassRoleArns : [expectString(o.toolsPublisherRoleArn, `${field}.toolsPublisherRoleArn`,
      patterns.iamRoleArn, 'the IAM role ARN (no wildcards) of the platform role that publishes the security tools, like arn:aws:iam::111122223333:role/ToolsPublisher')],
    corporateCidrs: expectArray(o.corporateCidrs, `${field}.corporateCidrs`, (v, f) => expectCidr(v, f), { minItems: 1, maxItems: 20 }),
    ...breakGlassNetwork(o, field),
    kubernetesVersions: versions,
    instanceTypes: expectArray(o.instanceTypes ?? ['m7i.large', 'm7i.xlarge', 'm6i.large'], `${field}.instanceTypes`, (v, f) => {
      const type = expectString(v, f, patterns.instanceType, 'an EC2 instance type like m7i.large');
      if (/^([a-z]+\d+[a-z]*g[a-z]*|a1)\./.test(type)) throw new ConfigError(f, `'${type}' is a Graviton (arm64) type; the node group runs AL2023 x86_64`);
      return type;
    }, { minItems: 1 }),
    maxNodes: expectInteger(o.maxNodes ?? 10, `${field}.maxNodes`, 1, 100),
    ...vpcLayout(o, field, natGateways),
    natGateways,
    logRetentionDays: (() => {
      const days = expectInteger(o.logRetentionDays ?? 365, `${field}.logRetentionDays`, 1, 3653);
      if (!LOG_RETENTION_DAYS.includes(days)) throw new ConfigError(`${field}.logRetentionDays`, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
      return days;
    })(),
    calico,
    workloadNamespaces: expectArray(o.workloadNamespaces ?? ['workloads'], `${field}.workloadNamespaces`, (v, f) => {
      const ns = expectString(v, f, patterns.namespace, 'a Kubernetes namespace name');
      if (ns.startsWith('kube-') || ['default', 'calico-system', 'tigera-operator', 'calico-apiserver'].includes(ns)) {
        throw new ConfigError(f, `'${ns}' is a system namespace, not a workload namespace`);
      }
      return ns;
    }, { minItems: 1, maxItems: 20 }),
    repositories: expectArray(repositoryNames, `${field}.repositories`,
      (v, f) => expectString(v, f, ECR_REPOSITORY_NAME, 'an ECR repository name'), { maxItems: 20 }),
    detection: (() => {
      const detection = parseDetection(o.detection ?? {}, `${field}.detection`);
      if ((repositoryNames as unknown[]).includes(detection.toolsRepository)) {
        throw new ConfigError(`${field}.detection.toolsRepository`, `'${detection.toolsRepository}' is also listed in repositories: the security tools get a repository of their own`);
      }
      return detection;
    })(),
    incidentResponse: parseIncidentResponse(o.incidentResponse ?? {}, `${field}.incidentResponse`),
  };
}

const ECR_REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** An image tag that names one release: never latest, never empty. */
const PINNED_TAG = /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
/** Five cron fields running every day (the kube-bench staleness alarm expects a report within 26 hours). */
const CRON = /^\S+\s+\S+\s+\*\s+\*\s+\*$/;

/** kube-bench 0.16.0 is the first release that ships the CIS Amazon EKS Benchmark 1.8.0 (cfg/eks-1.8.0). */
export const DEFAULT_DETECTION: DetectionSettings = {
  alertEmails: [], toolsRepository: 'security-tools', kubeBenchImageTag: 'kube-bench-v0.16.0', awsCliImageTag: 'aws-cli-2.27.50',
  kubeBenchBenchmark: 'eks-1.8.0', kubeBenchSchedule: '17 3 * * *',
};

function parseDetection(raw: unknown, field: string): DetectionSettings {
  const o = expectObject(raw, field, ['alertEmails', 'toolsRepository', 'kubeBenchImageTag', 'awsCliImageTag', 'kubeBenchBenchmark', 'kubeBenchSchedule']);
  const tag = (name: 'kubeBenchImageTag' | 'awsCliImageTag') => expectString(o[name] ?? DEFAULT_DETECTION[name], `${field}.${name}`, PINNED_TAG,
    'an image tag naming one release (not latest); the tools repository has immutable tags');
  return {
    alertEmails: expectArray(o.alertEmails ?? [], `${field}.alertEmails`, (v, f) => expectString(v, f, EMAIL, 'an e-mail address'), { maxItems: 10 }),
    toolsRepository: expectString(o.toolsRepository ?? DEFAULT_DETECTION.toolsRepository, `${field}.toolsRepository`, ECR_REPOSITORY_NAME, 'an ECR repository name'),
    kubeBenchImageTag: tag('kubeBenchImageTag'),
    awsCliImageTag: tag('awsCliImageTag'),
    kubeBenchBenchmark: expectString(o.kubeBenchBenchmark ?? DEFAULT_DETECTION.kubeBenchBenchmark, `${field}.kubeBenchBenchmark`, /^eks-\d+\.\d+\.\d+$/, 'a kube-bench EKS benchmark ID like eks-1.7.0'),
    kubeBenchSchedule: expectString(o.kubeBenchSchedule ?? DEFAULT_DETECTION.kubeBenchSchedule, `${field}.kubeBenchSchedule`, CRON, 'a daily five-field cron schedule like 17 3 * * * (minute and hour only; the staleness alarm expects a report every day)'),
  };
}

function parseIncidentResponse(raw: unknown, field: string): IncidentResponseSettings {
  const o = expectObject(raw, field, ['evidenceRetentionDays', 'avmlSha256', 'workloadRolePath']);
  const path = expectString(o.workloadRolePath ?? '/workloads/', `${field}.workloadRolePath`, /^\/([\w+=,.@-]+\/)+$/, 'an IAM path like /workloads/');
  if (path === '/hardened-eks/') throw new ConfigError(`${field}.workloadRolePath`, 'must not be the product\'s own IAM path /hardened-eks/ (its roles are revocable already)');
  return {
    evidenceRetentionDays: expectInteger(o.evidenceRetentionDays ?? 365, `${field}.evidenceRetentionDays`, 1, 3650),
    avmlSha256: o.avmlSha256 === undefined ? undefined : expectString(o.avmlSha256, `${field}.avmlSha256`, /^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex (64 characters)'),
    workloadRolePath: path,
  };
}

/** Execution roles of service-managed StackSets: what rolls the launch role out to the organization's accounts. */
export const STACKSET_EXECUTION_ROLES = 'arn:aws:iam::*:role/stacksets-exec-*';
/**
 * The one principal that creates those execution roles: the StackSets service-linked role. The /aws-service-role/
 * path is reserved to AWS services, so nobody can create a role that matches this pattern.
 */
export const STACKSET_SERVICE_LINKED_ROLES = 'arn:aws:iam::*:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/*';

export const DEFAULT_BREAK_GLASS_ROLE_NAME = 'HardenedEksBreakGlass';

/** The break-glass role of every launching account, as an ARN pattern over all accounts (for the SCP and managers). */
export function breakGlassRolesOfEveryAccount(settings: HardenedEksSettings): string {
  return `arn:aws:iam::*:role/${settings.breakGlassRoleName}`;
}

/** Who may create or change the roles the guardrail trusts: the accounts' break-glass roles and the StackSet execution roles. */
export function trustedRoleManagers(settings: HardenedEksSettings): string[] {
  return [breakGlassRolesOfEveryAccount(settings), STACKSET_EXECUTION_ROLES];
}

/** The guardrail's view of the corporate network and who manages its trusted roles, from the settings. */
export function guardrailNetwork(settings: HardenedEksSettings) {
  return {
    trustedRoleManagerArns: trustedRoleManagers(settings),
    serviceCreatedRoles: [{ roleArns: [STACKSET_EXECUTION_ROLES], creatorArns: [STACKSET_SERVICE_LINKED_ROLES] }],
    corporateEgressCidrs: settings.corporateEgressCidrs,
    corporateVpcEndpointIds: settings.corporateVpcEndpointIds,
    corporateVpcSourceCidrs: settings.corporateVpcSourceCidrs,
  };
}

/** Ranges that never appear as `aws:SourceIp` of a call to AWS: private, shared, loopback, link-local, "this network". */
const NOT_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/8'];

function breakGlassNetwork(o: Record<string, unknown>, field: string) {
  const corporateEgressCidrs = expectArray(o.corporateEgressCidrs ?? [], `${field}.corporateEgressCidrs`, (v, f) => {
    const cidr = expectCidr(v, f);
    const reserved = NOT_PUBLIC.find((range) => cidrsOverlap(cidr, range));
    if (reserved) throw new ConfigError(f, `'${cidr}' overlaps ${reserved}, which is not a public range: aws:SourceIp carries only public addresses, so break-glass could never match it (list private ranges in corporateCidrs, VPC endpoints in corporateVpcEndpointIds)`);
    return cidr;
  }, { maxItems: 20 });
  const corporateVpcEndpointIds = expectArray(o.corporateVpcEndpointIds ?? [], `${field}.corporateVpcEndpointIds`,
    (v, f) => expectString(v, f, patterns.vpcEndpointId, 'a VPC endpoint ID like vpce-0123456789abcdef0'));
  const corporateVpcSourceCidrs = expectArray(o.corporateVpcSourceCidrs ?? [], `${field}.corporateVpcSourceCidrs`, (v, f) => expectCidr(v, f), { maxItems: 20 });
  if (corporateEgressCidrs.length === 0 && corporateVpcEndpointIds.length === 0) {
    throw new ConfigError(`${field}.corporateEgressCidrs`, 'is empty and so is corporateVpcEndpointIds: break-glass calls of the admin APIs could never pass the guardrail');
  }
  if (corporateVpcSourceCidrs.length > 0 && corporateVpcEndpointIds.length === 0) {
    throw new ConfigError(`${field}.corporateVpcSourceCidrs`, 'narrows calls through corporateVpcEndpointIds, which is empty');
  }
  return { corporateEgressCidrs, corporateVpcEndpointIds, corporateVpcSourceCidrs };
}

/** Whether two IPv4 CIDRs share an address. */
function cidrsOverlap(a: string, b: string): boolean {
  const parse = (cidr: string): [number, number] => {
    const [address, bits] = cidr.split('/');
    const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
    return [value, Number(bits)];
  };
  const [va, ba] = parse(a);
  const [vb, bb] = parse(b);
  // They overlap when they agree on the shorter of the two prefixes.
  const blockSize = 2 ** (32 - Math.min(ba, bb));
  return Math.floor(va / blockSize) === Math.floor(vb / blockSize);
}
