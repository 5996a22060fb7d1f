import { z } from 'zod';
import {
  cidr,
  configObject,
  flag,
  list,
  matching,
  parseConfig,
  patterns,
  wholeNumber,
} from '../../lib/config/validation';

/** Kubernetes versions this build can operate: kubectl from the v36 layer talks to 1.35–1.37 (±1 minor). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;

/** Prefix length of each private subnet a created VPC gets (and /24 for each public one with NAT). */
export const PRIVATE_SUBNET_PREFIX = 19;

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const SYSTEM_NAMESPACES = ['default', 'calico-system', 'tigera-operator', 'calico-apiserver'];
const ECR_REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** An image tag that names one release: never latest, never empty. */
const PINNED_TAG = /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/;
/** Five cron fields running every day (the kube-bench staleness alarm expects a report within 26 hours). */
const CRON = /^\S+\s+\S+\s+\*\s+\*\s+\*$/;
/** Ranges that never appear as `aws:SourceIp` of a call to AWS: private, shared, loopback, link-local, "this network". */
const NOT_PUBLIC = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '0.0.0.0/8',
];

const pinnedTag = () =>
  matching(PINNED_TAG, 'an image tag naming one release (not latest); the tools repository has immutable tags');

/** Calico 3.31 is the last line whose tigera-operator chart still carries its CRDs (3.32 moved them to a separate chart). */
const calicoSchema = configObject({
  /** @default "https://docs.tigera.io/calico/charts" */
  chartRepository: matching(/^(https:\/\/|oci:\/\/)\S+$/, 'an https:// or oci:// chart repository')
    .default('https://docs.tigera.io/calico/charts')
    .meta({ description: 'Helm repository of the tigera-operator chart' }),
  /** @default "v3.31.4" */
  chartVersion: matching(
    /^v3\.(2[89]|3[01])\.\d+$/,
    'a tigera-operator chart version from v3.28 to v3.31 (3.32+ needs a separate CRD chart)',
  )
    .default('v3.31.4')
    .meta({ description: 'tigera-operator chart version (3.28–3.31)' }),
  imageRegistry: matching(
    /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*\/?$/,
    'a registry host like 111122223333.dkr.ecr.eu-west-1.amazonaws.com',
  )
    .optional()
    .meta({ description: "registry of Calico's images; without it, Tigera's public registries" }),
});

/** kube-bench 0.16.0 is the first release that ships the CIS Amazon EKS Benchmark 1.8.0 (cfg/eks-1.8.0). */
const detectionSchema = configObject({
  /** @default [] */
  alertEmails: list(matching(EMAIL, 'an e-mail address'), { maxItems: 10 })
    .default([])
    .meta({ description: 'e-mail addresses subscribed to the security-alert topic' }),
  /** @default "security-tools" */
  toolsRepository: matching(ECR_REPOSITORY_NAME, 'an ECR repository name').default('security-tools').meta({
    description:
      "the product's ECR repository for the kube-bench and aws-cli images (immutable tags): the platform team copies the pinned images into it, so nothing is pulled from the internet",
  }),
  /** @default "kube-bench-v0.16.0" */
  kubeBenchImageTag: pinnedTag()
    .default('kube-bench-v0.16.0')
    .meta({ description: 'tag of the kube-bench image in the tools repository; `latest` is refused' }),
  /** @default "aws-cli-2.27.50" */
  awsCliImageTag: pinnedTag().default('aws-cli-2.27.50').meta({
    description: "tag of the aws-cli image (uploads kube-bench's report to CloudWatch Logs); `latest` is refused",
  }),
  /** @default "eks-1.8.0" */
  kubeBenchBenchmark: matching(/^eks-\d+\.\d+\.\d+$/, 'a kube-bench EKS benchmark ID like eks-1.7.0')
    .default('eks-1.8.0')
    .meta({ description: 'CIS Amazon EKS Benchmark version kube-bench runs' }),
  /** @default "17 3 * * *" */
  kubeBenchSchedule: matching(
    CRON,
    'a daily five-field cron schedule like 17 3 * * * (minute and hour only; the staleness alarm expects a report every day)',
  )
    .default('17 3 * * *')
    .meta({
      description: 'a daily cron (UTC) of the kube-bench CronJob — the staleness alarm expects a report every day',
    }),
});

const incidentResponseSchema = configObject({
  /** @default 365 */
  evidenceRetentionDays: wholeNumber(1, 3650)
    .default(365)
    .meta({ description: 'Object Lock (compliance mode) retention of evidence, in days' }),
  avmlSha256: matching(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex (64 characters)')
    .optional()
    .meta({
      description:
        "SHA-256 of the AVML binary the publisher uploads to the evidence bucket's `tools/avml`; fixed in IR-6's Command document (nobody running IR-6 can give another); without it IR-6 refuses to run",
    }),
  /** @default "/workloads/" */
  workloadRolePath: matching(/^\/([\w+=,.@-]+\/)+$/, 'an IAM path like /workloads/')
    .refine((path) => path !== '/hardened-eks/', {
      error: "must not be the product's own IAM path /hardened-eks/ (its roles are revocable already)",
    })
    .default('/workloads/')
    .meta({
      description:
        "IAM path of the consumers' IRSA / Pod Identity roles whose sessions IR-3 may revoke (besides the product's `/hardened-eks/` roles)",
    }),
});

/**
 * What the platform team fixes for every launch of the hardened EKS product (read from `cdk.json`, context
 * `catalog.products[].settings`). Consumer teams choose only among the values allowed here, through CloudFormation
 * parameters. The README's settings table and the editors' JSON Schema are generated from it (`npm run config-docs`).
 */
export const hardenedEksSettingsSchema = configObject({
  breakGlassRoleArns: list(
    matching(patterns.iamRoleArn, 'an IAM role ARN like arn:aws:iam::111122223333:role/BreakGlass'),
    { minItems: 1, maxItems: 10 },
  ).meta({
    description:
      "the security team's break-glass identities (e.g. roles of a security account): the only principals that may assume each launching account's break-glass role",
  }),
  /** @default "HardenedEksBreakGlass" */
  breakGlassRoleName: matching(
    /^[\w+=,.@-]{1,64}$/,
    'an IAM role name (letters, digits and +=,.@_-, at most 64 characters)',
  )
    .default('HardenedEksBreakGlass')
    .meta({
      description:
        'the break-glass role every launching account gets beside the launch role (hub and StackSet): it alone gets cluster-admin and the guarded EKS APIs (ADM-1..36), from the corporate network only',
    }),
  corporateCidrs: list(cidr(), { minItems: 1, maxItems: 20 }).meta({
    description:
      'corporate ranges (private ones too) that may reach the private API endpoint; consumers choose among them',
  }),
  /** @default [] */
  corporateEgressCidrs: list(
    cidr().superRefine((range, context) => {
      const reserved = NOT_PUBLIC.find((notPublic) => cidrsOverlap(range, notPublic));
      if (reserved) {
        context.addIssue({
          code: 'custom',
          message: `'${range}' overlaps ${reserved}, which is not a public range: aws:SourceIp carries only public addresses, so break-glass could never match it (list private ranges in corporateCidrs, VPC endpoints in corporateVpcEndpointIds)`,
        });
      }
    }),
    { maxItems: 20 },
  )
    .default([])
    .meta({
      description:
        "the corporate network's **public** egress ranges (`aws:SourceIp`): break-glass calls of the guarded APIs pass from there; private ranges are refused, since `aws:SourceIp` never carries them",
    }),
  /** @default [] */
  corporateVpcEndpointIds: list(matching(patterns.vpcEndpointId, 'a VPC endpoint ID like vpce-0123456789abcdef0'))
    .default([])
    .meta({
      description:
        'corporate VPC endpoints (`aws:SourceVpce`) through which break-glass calls pass; with `corporateEgressCidrs` empty, at least one is required',
    }),
  /** @default [] */
  corporateVpcSourceCidrs: list(cidr(), { maxItems: 20 }).default([]).meta({
    description:
      'private source ranges (`aws:VpcSourceIp`) accepted through those endpoints; empty: any source of the endpoints',
  }),
  /** @default ["1.36"] */
  kubernetesVersions: list(
    matching(patterns.kubernetesVersion, 'a Kubernetes minor version like 1.36').refine(
      (version) => (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version),
      {
        error: (issue) =>
          `'${String(issue.input)}' is not supported by this build (supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')})`,
      },
    ),
    { minItems: 1 },
  )
    .default([SUPPORTED_KUBERNETES_VERSIONS[1]])
    .meta({
      description: `versions consumers may choose, the last one the default (supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}; the kubectl v36 layer)`,
    }),
  /** @default ["m7i.large", "m7i.xlarge", "m6i.large"] */
  instanceTypes: list(
    matching(patterns.instanceType, 'an EC2 instance type like m7i.large').refine(
      (type) => !/^([a-z]+\d+[a-z]*g[a-z]*|a1)\./.test(type),
      { error: (issue) => `'${String(issue.input)}' is a Graviton (arm64) type; the node group runs AL2023 x86_64` },
    ),
    { minItems: 1 },
  )
    .default(['m7i.large', 'm7i.xlarge', 'm6i.large'])
    .meta({ description: 'x86_64 node types consumers may choose; the first is the default' }),
  /** @default 10 */
  maxNodes: wholeNumber(1, 100).default(10).meta({ description: 'upper bound of the node group' }),
  /** @default "10.40.0.0/16" */
  vpcCidr: cidr(16).default('10.40.0.0/16').meta({ description: 'address range of a VPC the product creates' }),
  /** @default 3 */
  availabilityZones: wholeNumber(2, 3)
    .default(3)
    .transform((zones) => zones as 2 | 3)
    .meta({ description: 'availability zones (and private subnets) the cluster spans' }),
  /** @default true */
  natGateways: flag().default(true).meta({
    description:
      'internet egress for a created VPC; `false` needs `calico.chartRepository` as an `oci://` mirror and `calico.imageRegistry`',
  }),
  /** @default 365 */
  logRetentionDays: wholeNumber(1, 3653)
    .refine((days) => LOG_RETENTION_DAYS.includes(days), { error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}` })
    .default(365)
    .meta({ description: 'days to keep control-plane, flow and session logs' }),
  /** @default {"chartRepository": "https://docs.tigera.io/calico/charts", "chartVersion": "v3.31.4"} */
  calico: calicoSchema.prefault({}).meta({ description: 'Calico (Tigera operator) chart source' }),
  /** @default ["workloads"] */
  workloadNamespaces: list(
    matching(patterns.namespace, 'a Kubernetes namespace name').refine(
      (namespace) => !namespace.startsWith('kube-') && !SYSTEM_NAMESPACES.includes(namespace),
      { error: (issue) => `'${String(issue.input)}' is a system namespace, not a workload namespace` },
    ),
    { minItems: 1, maxItems: 20 },
  )
    .default(['workloads'])
    .meta({ description: 'namespaces created with Pod Security `restricted` and the network baseline' }),
  /** @default ["workloads"] */
  repositories: list(matching(ECR_REPOSITORY_NAME, 'an ECR repository name'), { maxItems: 20 })
    .default(['workloads'])
    .meta({ description: "ECR repositories created for the team's images" }),
  toolsPublisherRoleArn: matching(
    patterns.iamRoleArn,
    'the IAM role ARN (no wildcards) of the platform role that publishes the security tools, like arn:aws:iam::111122223333:role/ToolsPublisher',
  )
    .optional()
    .meta({
      description:
        "the platform role (full ARN, no wildcards) that alone may push to the tools repository and write under the evidence bucket's `tools/` (what they hold runs as root on the nodes); nobody else, the launch role included, may push, delete images, make tags mutable or change those policies (REG-6, REM-6). Without it: the break-glass roles",
    }),
  endpointAccess: z
    .literal('private', { error: "must be 'private': a public Kubernetes API endpoint is refused (TH-1, PV-1)" })
    .optional()
    .meta({ description: 'only `private` is accepted: a public endpoint is refused' }),
  /** @default {"alertEmails": [], "toolsRepository": "security-tools", "kubeBenchImageTag": "kube-bench-v0.16.0", "awsCliImageTag": "aws-cli-2.27.50", "kubeBenchBenchmark": "eks-1.8.0", "kubeBenchSchedule": "17 3 * * *"} */
  detection: detectionSchema
    .prefault({})
    .meta({ description: 'detective controls: where alerts go and what kube-bench runs (CC-DET)' }),
  /** @default {"evidenceRetentionDays": 365, "workloadRolePath": "/workloads/"} */
  incidentResponse: incidentResponseSchema.prefault({}).meta({
    description: 'incident response: evidence retention, responder tools, roles the runbooks may revoke (CC-REM)',
  }),
})
  .superRefine((settings, context) => {
    const needed =
      settings.availabilityZones * 2 ** (32 - PRIVATE_SUBNET_PREFIX) +
      (settings.natGateways ? settings.availabilityZones * 256 : 0);
    if (2 ** (32 - Number(settings.vpcCidr.split('/')[1])) < needed) {
      context.addIssue({
        code: 'custom',
        path: ['vpcCidr'],
        message: `'${settings.vpcCidr}' cannot hold ${settings.availabilityZones} /${PRIVATE_SUBNET_PREFIX} private subnets${settings.natGateways ? ' and their public /24s' : ''}: use /16 or /17`,
      });
    }
    if (
      !settings.natGateways &&
      (!settings.calico.chartRepository.startsWith('oci://') || !settings.calico.imageRegistry)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['calico'],
        message:
          'with natGateways false the cluster has no internet egress: set chartRepository to an oci:// mirror and imageRegistry to a private registry',
      });
    }
    if (settings.repositories.includes(settings.detection.toolsRepository)) {
      context.addIssue({
        code: 'custom',
        path: ['detection', 'toolsRepository'],
        message: `'${settings.detection.toolsRepository}' is also listed in repositories: the security tools get a repository of their own`,
      });
    }
    if (settings.corporateEgressCidrs.length === 0 && settings.corporateVpcEndpointIds.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['corporateEgressCidrs'],
        message:
          'is empty and so is corporateVpcEndpointIds: break-glass calls of the admin APIs could never pass the guardrail',
      });
    }
    if (settings.corporateVpcSourceCidrs.length > 0 && settings.corporateVpcEndpointIds.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['corporateVpcSourceCidrs'],
        message: 'narrows calls through corporateVpcEndpointIds, which is empty',
      });
    }
  })
  .transform(({ endpointAccess: _privateOnly, toolsPublisherRoleArn, ...settings }) => ({
    ...settings,
    /**
     * The only roles that may push to the security-tools repository and write under the evidence bucket's tools/
     * prefix: what they publish runs as root on the nodes (kube-bench, AVML). From `toolsPublisherRoleArn`; without
     * it, the break-glass roles.
     */
    toolsPublisherRoleArns: toolsPublisherRoleArn === undefined ? settings.breakGlassRoleArns : [toolsPublisherRoleArn],
  }));

export type HardenedEksSettings = z.output<typeof hardenedEksSettingsSchema>;
export type DetectionSettings = HardenedEksSettings['detection'];
export type IncidentResponseSettings = HardenedEksSettings['incidentResponse'];

export function parseHardenedEksSettings(raw: unknown, field: string): HardenedEksSettings {
  return parseConfig(hardenedEksSettingsSchema, raw, field);
}

export const DEFAULT_CALICO = {
  chartRepository: calicoSchema.parse({}).chartRepository,
  chartVersion: calicoSchema.parse({}).chartVersion,
};
export const DEFAULT_DETECTION: DetectionSettings = detectionSchema.parse({});

/** Execution roles of service-managed StackSets: what rolls the launch role out to the organization's accounts. */
export const STACKSET_EXECUTION_ROLES = 'arn:aws:iam::*:role/stacksets-exec-*';
/**
 * The one principal that creates those execution roles: the StackSets service-linked role. The /aws-service-role/
 * path is reserved to AWS services, so nobody can create a role that matches this pattern.
 */
export const STACKSET_SERVICE_LINKED_ROLES =
  'arn:aws:iam::*:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/*';

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
