import { App } from 'aws-cdk-lib';
import { CatalogStack } from '../../lib/catalog/catalog-stack';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import { product } from '../../products/hardened-eks';
import {
  DEFAULT_CALICO,
  DEFAULT_DETECTION,
  parseHardenedEksSettings,
  SUPPORTED_KUBERNETES_VERSIONS,
} from '../../products/hardened-eks/settings';
import { defaultConfig, projectContext } from '../support/project-app';
import { expectConfigError } from './expect-config-error';

/** Where the catalog parses the first product's settings (see CatalogStack). */
const FIELD = 'catalog.products[0].settings';

/** The built-in hardened-eks settings from cdk.json, as a fresh mutable copy. */
function builtInSettings(): Record<string, any> {
  const products = projectContext()[CONFIG_CONTEXT_KEY].products as { folder: string; settings: Record<string, any> }[];
  return structuredClone(products.find((p) => p.folder === 'hardened-eks')!.settings);
}

function parse(overrides: Record<string, unknown> = {}) {
  return parseHardenedEksSettings({ ...builtInSettings(), ...overrides }, FIELD);
}

const OCI_MIRROR = {
  chartRepository: 'oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/helm',
  chartVersion: 'v3.31.4',
  imageRegistry: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/calico',
};

describe('the built-in settings', () => {
  test('the hardened-eks settings in cdk.json parse without error', () => {
    const settings = parse();

    expect(settings).toEqual({
      breakGlassRoleArns: ['arn:aws:iam::111122223333:role/EksBreakGlass'],
      breakGlassRoleName: 'HardenedEksBreakGlass',
      corporateCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
      corporateEgressCidrs: ['198.51.100.0/24'],
      corporateVpcEndpointIds: [],
      corporateVpcSourceCidrs: [],
      kubernetesVersions: ['1.35', '1.36'],
      instanceTypes: ['m7i.large', 'm7i.xlarge', 'm6i.large'],
      maxNodes: 10,
      vpcCidr: '10.40.0.0/16',
      availabilityZones: 3,
      natGateways: true,
      logRetentionDays: 365,
      calico: { ...DEFAULT_CALICO, imageRegistry: undefined },
      workloadNamespaces: ['workloads'],
      repositories: ['workloads'],
      detection: { ...DEFAULT_DETECTION, alertEmails: ['platform-security@example.com'] },
      incidentResponse: { evidenceRetentionDays: 365, avmlSha256: undefined, workloadRolePath: '/workloads/' },
      toolsPublisherRoleArns: ['arn:aws:iam::111122223333:role/EksBreakGlass'],
    });
  });

  test('toolsPublisherRoleArn, when given, is the only publisher of the security tools (instead of the break-glass roles)', () => {
    expect(
      parse({ toolsPublisherRoleArn: 'arn:aws:iam::111122223333:role/platform/ToolsPublisher' }).toolsPublisherRoleArns,
    ).toEqual(['arn:aws:iam::111122223333:role/platform/ToolsPublisher']);
  });

  test('the product definition parses settings with the same parser', () => {
    expect(product.parseSettings(builtInSettings(), FIELD)).toEqual(parse());
  });

  test('optional settings left out take their documented defaults', () => {
    const settings = parseHardenedEksSettings(
      {
        breakGlassRoleArns: ['arn:aws:iam::111122223333:role/EksBreakGlass'],
        corporateCidrs: ['10.0.0.0/8'],
        corporateEgressCidrs: ['198.51.100.0/24'],
      },
      FIELD,
    );

    expect(settings.kubernetesVersions).toEqual([
      SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1],
    ]);
    expect(settings.calico).toEqual({ ...DEFAULT_CALICO, imageRegistry: undefined });
    expect(settings.natGateways).toBe(true);
    expect(settings.maxNodes).toBe(10);
    expect(settings.logRetentionDays).toBe(365);
    expect(settings.workloadNamespaces).toEqual(['workloads']);
    expect([settings.corporateVpcEndpointIds, settings.corporateVpcSourceCidrs]).toEqual([[], []]);
  });

  test("endpointAccess 'private' (the only allowed value) is accepted", () => {
    expect(parse({ endpointAccess: 'private' }).corporateCidrs).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
  });

  test('natGateways false is accepted with an oci:// chart mirror and a private image registry', () => {
    const settings = parse({ natGateways: false, calico: OCI_MIRROR });

    expect(settings.natGateways).toBe(false);
    expect(settings.calico).toEqual(OCI_MIRROR);
  });

  test.each(['v3.28.0', 'v3.29.5', 'v3.30.2', 'v3.31.4'])('calico chartVersion %s is accepted', (chartVersion) => {
    expect(parse({ calico: { chartVersion } }).calico.chartVersion).toBe(chartVersion);
  });

  test.each([1, 3, 7, 30, 90, 365, 731, 3653])('logRetentionDays %d (a CloudWatch value) is accepted', (days) => {
    expect(parse({ logRetentionDays: days }).logRetentionDays).toBe(days);
  });

  test('maxNodes at the bounds 1 and 100 is accepted', () => {
    expect(parse({ maxNodes: 1 }).maxNodes).toBe(1);
    expect(parse({ maxNodes: 100 }).maxNodes).toBe(100);
  });
});

type Overrides = Record<string, unknown>;
const roleArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:iam::111122223333:role/BreakGlass${i}`);

describe('bad hardened-eks settings stop with a ConfigError naming the field and the rule', () => {
  test.each<[string, Overrides, string, RegExp | string]>([
    // unknown keys
    [
      'unknown key',
      { endpoint: 'private' },
      `${FIELD}.endpoint`,
      /^unknown key \(allowed: breakGlassRoleArns, breakGlassRoleName, corporateCidrs, .*endpointAccess, detection, incidentResponse\)$/,
    ],
    ['misspelled key', { maxNode: 5 }, `${FIELD}.maxNode`, 'unknown key'],
    [
      'unknown key in calico',
      { calico: { version: 'v3.31.4' } },
      `${FIELD}.calico.version`,
      /^unknown key \(allowed: chartRepository, chartVersion, imageRegistry\)$/,
    ],
    // PV-1: private endpoint only
    [
      "endpointAccess 'public'",
      { endpointAccess: 'public' },
      `${FIELD}.endpointAccess`,
      /^must be 'private': a public Kubernetes API endpoint is refused \(TH-1, PV-1\)$/,
    ],
    [
      "endpointAccess 'public-and-private'",
      { endpointAccess: 'public-and-private' },
      `${FIELD}.endpointAccess`,
      /PV-1/,
    ],
    ['endpointAccess true', { endpointAccess: true }, `${FIELD}.endpointAccess`, /PV-1/],
    // break-glass roles
    ['empty breakGlassRoleArns', { breakGlassRoleArns: [] }, `${FIELD}.breakGlassRoleArns`, /^must not be empty$/],
    ['missing breakGlassRoleArns', { breakGlassRoleArns: undefined }, `${FIELD}.breakGlassRoleArns`, 'must be a list'],
    [
      'user ARN as break-glass role',
      { breakGlassRoleArns: ['arn:aws:iam::111122223333:user/admin'] },
      `${FIELD}.breakGlassRoleArns[0]`,
      /'arn:aws:iam::111122223333:user\/admin' is not an IAM role ARN like arn:aws:iam::111122223333:role\/BreakGlass/,
    ],
    [
      'role ARN with a region',
      { breakGlassRoleArns: ['arn:aws:iam:eu-west-1:111122223333:role/EksBreakGlass'] },
      `${FIELD}.breakGlassRoleArns[0]`,
      'is not an IAM role ARN',
    ],
    [
      'wildcard break-glass role (second entry)',
      { breakGlassRoleArns: ['arn:aws:iam::111122223333:role/EksBreakGlass', 'arn:aws:iam::111122223333:role/*'] },
      `${FIELD}.breakGlassRoleArns[1]`,
      'is not an IAM role ARN',
    ],
    [
      'duplicate break-glass role',
      {
        breakGlassRoleArns: [
          'arn:aws:iam::111122223333:role/EksBreakGlass',
          'arn:aws:iam::111122223333:role/EksBreakGlass',
        ],
      },
      `${FIELD}.breakGlassRoleArns[1]`,
      /duplicates an earlier entry/,
    ],
    [
      '11 break-glass roles',
      { breakGlassRoleArns: roleArns(11) },
      `${FIELD}.breakGlassRoleArns`,
      'takes at most 10 entries',
    ],
    // the security tools' publisher
    [
      'wildcard tools publisher',
      { toolsPublisherRoleArn: 'arn:aws:iam::111122223333:role/*' },
      `${FIELD}.toolsPublisherRoleArn`,
      /^'arn:aws:iam::111122223333:role\/\*' is not the IAM role ARN \(no wildcards\) of the platform role that publishes the security tools/,
    ],
    [
      'tools publisher as a list',
      { toolsPublisherRoleArn: ['arn:aws:iam::111122223333:role/ToolsPublisher'] },
      `${FIELD}.toolsPublisherRoleArn`,
      'must be a non-empty string',
    ],
    // corporate networks
    [
      'malformed CIDR (three octets)',
      { corporateCidrs: ['10.0.0/8'] },
      `${FIELD}.corporateCidrs[0]`,
      /'10\.0\.0\/8' is not an IPv4 CIDR block like 10\.0\.0\.0\/16/,
    ],
    [
      'CIDR without prefix',
      { corporateCidrs: ['10.0.0.0'] },
      `${FIELD}.corporateCidrs[0]`,
      'is not an IPv4 CIDR block',
    ],
    ['IPv6 CIDR', { corporateCidrs: ['2001:db8::/32'] }, `${FIELD}.corporateCidrs[0]`, 'is not an IPv4 CIDR block'],
    [
      'octet above 255',
      { corporateCidrs: ['10.0.0.0/8', '192.168.256.0/24'] },
      `${FIELD}.corporateCidrs[1]`,
      /'192\.168\.256\.0\/24' is not a valid IPv4 CIDR block/,
    ],
    [
      'prefix above 32',
      { corporateCidrs: ['10.0.0.0/33'] },
      `${FIELD}.corporateCidrs[0]`,
      'is not a valid IPv4 CIDR block',
    ],
    [
      'CIDR with host bits set',
      { corporateCidrs: ['10.0.0.1/8'] },
      `${FIELD}.corporateCidrs[0]`,
      /'10\.0\.0\.1\/8' has host bits set; did you mean the network address\?/,
    ],
    [
      'CIDR with host bits set in the last octet',
      { corporateCidrs: ['192.168.1.128/24'] },
      `${FIELD}.corporateCidrs[0]`,
      'has host bits set',
    ],
    [
      '0.0.0.0/0',
      { corporateCidrs: ['0.0.0.0/0'] },
      `${FIELD}.corporateCidrs[0]`,
      /'0\.0\.0\.0\/0' is too wide: the prefix must be \/8 or longer/,
    ],
    ['a /7 range', { corporateCidrs: ['10.0.0.0/8', '8.0.0.0/7'] }, `${FIELD}.corporateCidrs[1]`, 'is too wide'],
    ['empty corporateCidrs', { corporateCidrs: [] }, `${FIELD}.corporateCidrs`, 'must not be empty'],
    [
      'duplicate corporate CIDR',
      { corporateCidrs: ['10.0.0.0/8', '192.168.0.0/16', '10.0.0.0/8'] },
      `${FIELD}.corporateCidrs[2]`,
      'duplicates an earlier entry',
    ],
    [
      'malformed VPC endpoint ID',
      { corporateVpcEndpointIds: ['vpce-xyz'] },
      `${FIELD}.corporateVpcEndpointIds[0]`,
      'is not a VPC endpoint ID like vpce-0123456789abcdef0',
    ],
    // Kubernetes versions
    [
      'unsupported Kubernetes version 1.34',
      { kubernetesVersions: ['1.34'] },
      `${FIELD}.kubernetesVersions[0]`,
      /^'1\.34' is not supported by this build \(supported: 1\.35, 1\.36\)$/,
    ],
    [
      'unsupported Kubernetes version 1.37 after a good one',
      { kubernetesVersions: ['1.36', '1.37'] },
      `${FIELD}.kubernetesVersions[1]`,
      'is not supported by this build',
    ],
    [
      'Kubernetes version with a v',
      { kubernetesVersions: ['v1.36'] },
      `${FIELD}.kubernetesVersions[0]`,
      'is not a Kubernetes minor version like 1.36',
    ],
    [
      'Kubernetes patch version',
      { kubernetesVersions: ['1.36.2'] },
      `${FIELD}.kubernetesVersions[0]`,
      'is not a Kubernetes minor version',
    ],
    [
      'Kubernetes version as a number',
      { kubernetesVersions: [1.36] },
      `${FIELD}.kubernetesVersions[0]`,
      'must be a non-empty string',
    ],
    ['empty kubernetesVersions', { kubernetesVersions: [] }, `${FIELD}.kubernetesVersions`, 'must not be empty'],
    [
      'duplicate Kubernetes version',
      { kubernetesVersions: ['1.36', '1.36'] },
      `${FIELD}.kubernetesVersions[1]`,
      'duplicates an earlier entry',
    ],
    // instance types
    [
      'Graviton instance type m7g.large',
      { instanceTypes: ['m7i.large', 'm7g.large'] },
      `${FIELD}.instanceTypes[1]`,
      /^'m7g\.large' is a Graviton \(arm64\) type; the node group runs AL2023 x86_64$/,
    ],
    [
      'instance type in upper case',
      { instanceTypes: ['M7I.LARGE'] },
      `${FIELD}.instanceTypes[0]`,
      'is not an EC2 instance type like m7i.large',
    ],
    [
      'instance type without size',
      { instanceTypes: ['m7i'] },
      `${FIELD}.instanceTypes[0]`,
      'is not an EC2 instance type',
    ],
    ['empty instanceTypes', { instanceTypes: [] }, `${FIELD}.instanceTypes`, 'must not be empty'],
    [
      'duplicate instance type',
      { instanceTypes: ['m7i.large', 'm7i.large'] },
      `${FIELD}.instanceTypes[1]`,
      'duplicates an earlier entry',
    ],
    // node count
    ['maxNodes 0', { maxNodes: 0 }, `${FIELD}.maxNodes`, /^must be a whole number from 1 to 100$/],
    ['maxNodes 101', { maxNodes: 101 }, `${FIELD}.maxNodes`, 'must be a whole number from 1 to 100'],
    ['maxNodes -5', { maxNodes: -5 }, `${FIELD}.maxNodes`, 'must be a whole number from 1 to 100'],
    ['maxNodes 2.5', { maxNodes: 2.5 }, `${FIELD}.maxNodes`, 'must be a whole number from 1 to 100'],
    ['maxNodes as a string', { maxNodes: '10' }, `${FIELD}.maxNodes`, 'must be a whole number from 1 to 100'],
    // network
    [
      'vpcCidr wider than /16',
      { vpcCidr: '10.0.0.0/12' },
      `${FIELD}.vpcCidr`,
      /'10\.0\.0\.0\/12' is too wide: the prefix must be \/16 or longer/,
    ],
    [
      'vpcCidr too small for three /19 private subnets',
      { vpcCidr: '10.40.0.0/18' },
      `${FIELD}.vpcCidr`,
      /cannot hold 3 \/19 private subnets and their public \/24s: use \/16 or \/17/,
    ],
    ['vpcCidr /28', { vpcCidr: '10.40.0.0/28' }, `${FIELD}.vpcCidr`, 'cannot hold 3 /19 private subnets'],
    ['vpcCidr with a leading zero', { vpcCidr: '010.40.0.0/16' }, `${FIELD}.vpcCidr`, 'is not an IPv4 CIDR block'],
    [
      'corporate CIDR with a leading-zero prefix',
      { corporateCidrs: ['10.0.0.0/08'] },
      `${FIELD}.corporateCidrs[0]`,
      'is not an IPv4 CIDR block',
    ],
    ['vpcCidr with host bits set', { vpcCidr: '10.40.1.0/16' }, `${FIELD}.vpcCidr`, 'has host bits set'],
    [
      'availabilityZones 1',
      { availabilityZones: 1 },
      `${FIELD}.availabilityZones`,
      'must be a whole number from 2 to 3',
    ],
    [
      'availabilityZones 4',
      { availabilityZones: 4 },
      `${FIELD}.availabilityZones`,
      'must be a whole number from 2 to 3',
    ],
    ['natGateways as a string', { natGateways: 'false' }, `${FIELD}.natGateways`, 'must be true or false'],
    // logs
    [
      'logRetentionDays 366 (not a CloudWatch value)',
      { logRetentionDays: 366 },
      `${FIELD}.logRetentionDays`,
      /^must be one of 1, 3, 5, 7, 14, 30, .*, 365, 400, .*, 3653$/,
    ],
    [
      'logRetentionDays 10 (not a CloudWatch value)',
      { logRetentionDays: 10 },
      `${FIELD}.logRetentionDays`,
      'must be one of 1, 3, 5',
    ],
    [
      'logRetentionDays 0 (never expire)',
      { logRetentionDays: 0 },
      `${FIELD}.logRetentionDays`,
      'must be a whole number from 1 to 3653',
    ],
    [
      'logRetentionDays 4000',
      { logRetentionDays: 4000 },
      `${FIELD}.logRetentionDays`,
      'must be a whole number from 1 to 3653',
    ],
    // namespaces and repositories
    [
      'kube-system as workload namespace',
      { workloadNamespaces: ['kube-system'] },
      `${FIELD}.workloadNamespaces[0]`,
      /^'kube-system' is a system namespace, not a workload namespace$/,
    ],
    [
      'kube-public as workload namespace',
      { workloadNamespaces: ['workloads', 'kube-public'] },
      `${FIELD}.workloadNamespaces[1]`,
      'is a system namespace',
    ],
    [
      'namespace with upper case',
      { workloadNamespaces: ['Workloads'] },
      `${FIELD}.workloadNamespaces[0]`,
      'is not a Kubernetes namespace name',
    ],
    ['empty workloadNamespaces', { workloadNamespaces: [] }, `${FIELD}.workloadNamespaces`, 'must not be empty'],
    [
      'duplicate workload namespace',
      { workloadNamespaces: ['team-a', 'team-b', 'team-a'] },
      `${FIELD}.workloadNamespaces[2]`,
      'duplicates an earlier entry',
    ],
    [
      'bad ECR repository name',
      { repositories: ['Team_Images'] },
      `${FIELD}.repositories[0]`,
      'is not an ECR repository name',
    ],
    [
      'duplicate ECR repository',
      { repositories: ['workloads', 'workloads'] },
      `${FIELD}.repositories[1]`,
      'duplicates an earlier entry',
    ],
    // Calico source
    [
      'natGateways false with the default https chart repository',
      { natGateways: false },
      `${FIELD}.calico`,
      /^with natGateways false the cluster has no internet egress: set chartRepository to an oci:\/\/ mirror and imageRegistry to a private registry$/,
    ],
    [
      'natGateways false with an oci:// chart but no image registry',
      { natGateways: false, calico: { chartRepository: OCI_MIRROR.chartRepository } },
      `${FIELD}.calico`,
      'oci://',
    ],
    [
      'natGateways false with an image registry but an https chart',
      { natGateways: false, calico: { imageRegistry: OCI_MIRROR.imageRegistry } },
      `${FIELD}.calico`,
      'oci://',
    ],
    [
      'calico chartVersion v3.32.0',
      { calico: { chartVersion: 'v3.32.0' } },
      `${FIELD}.calico.chartVersion`,
      /^'v3\.32\.0' is not a tigera-operator chart version from v3\.28 to v3\.31 \(3\.32\+ needs a separate CRD chart\)$/,
    ],
    [
      'calico chartVersion v3.32.3',
      { calico: { chartVersion: 'v3.32.3' } },
      `${FIELD}.calico.chartVersion`,
      '3.32+ needs a separate CRD chart',
    ],
    [
      'calico chartVersion v3.27.0',
      { calico: { chartVersion: 'v3.27.0' } },
      `${FIELD}.calico.chartVersion`,
      'from v3.28 to v3.31',
    ],
    [
      'calico chartVersion without v',
      { calico: { chartVersion: '3.31.4' } },
      `${FIELD}.calico.chartVersion`,
      'from v3.28 to v3.31',
    ],
    [
      'calico chart repository over http',
      { calico: { chartRepository: 'http://docs.tigera.io/calico/charts' } },
      `${FIELD}.calico.chartRepository`,
      'is not an https:// or oci:// chart repository',
    ],
    [
      'calico image registry with a scheme',
      { calico: { imageRegistry: 'https://quay.io' } },
      `${FIELD}.calico.imageRegistry`,
      'is not a registry host',
    ],
  ])('%s', (_name, overrides, field, rule) => {
    expectConfigError(() => parse(overrides), field, rule);
  });

  test.each([
    'c7gn.xlarge',
    'r8g.2xlarge',
    'a1.large', // first generation
    'm6gd.large',
  ])('Graviton instance type %s', (instanceType) => {
    expectConfigError(
      () => parse({ instanceTypes: [instanceType] }),
      `${FIELD}.instanceTypes[0]`,
      'is a Graviton (arm64) type',
    );
  });

  test.each(['default', 'calico-system', 'tigera-operator', 'calico-apiserver'])(
    '%s as workload namespace',
    (namespace) => {
      expectConfigError(
        () => parse({ workloadNamespaces: [namespace] }),
        `${FIELD}.workloadNamespaces[0]`,
        'is a system namespace',
      );
    },
  );

  test('settings that are not an object are refused', () => {
    expectConfigError(() => parseHardenedEksSettings(['breakGlassRoleArns'], FIELD), FIELD, 'must be an object');
  });
});

describe('break-glass networks: public egress for aws:SourceIp, VPC endpoints for aws:SourceVpce', () => {
  test.each([
    '10.1.0.0/16',
    '172.20.0.0/16',
    '192.168.10.0/24',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.0.0.0/8',
  ])('corporateEgressCidrs refuses %s when it is or overlaps a range that never appears as aws:SourceIp', (cidr) => {
    const error = expectConfigError(
      () => parse({ corporateEgressCidrs: ['198.51.100.0/24', cidr] }),
      `${FIELD}.corporateEgressCidrs[1]`,
      /is not a public range/,
    );
    expect(error.rule).toContain(cidr);
  });

  test('an egress range wider than /8 is refused (0.0.0.0/0 would make the admin APIs corporate from anywhere)', () => {
    expectConfigError(
      () => parse({ corporateEgressCidrs: ['0.0.0.0/0'] }),
      `${FIELD}.corporateEgressCidrs[0]`,
      /too wide/,
    );
  });

  test('with neither egress ranges nor VPC endpoints break-glass could never pass: refused', () => {
    expectConfigError(
      () => parse({ corporateEgressCidrs: [], corporateVpcEndpointIds: [] }),
      `${FIELD}.corporateEgressCidrs`,
      /could never pass/,
    );
  });

  test('VPC endpoints alone are enough, and their source ranges need endpoints', () => {
    expect(
      parse({ corporateEgressCidrs: [], corporateVpcEndpointIds: ['vpce-0123456789abcdef0'] }).corporateVpcEndpointIds,
    ).toEqual(['vpce-0123456789abcdef0']);
    expectConfigError(
      () => parse({ corporateVpcSourceCidrs: ['10.20.0.0/16'] }),
      `${FIELD}.corporateVpcSourceCidrs`,
      /corporateVpcEndpointIds, which is empty/,
    );
  });

  test('public documentation and real public ranges are accepted', () => {
    expect(parse({ corporateEgressCidrs: ['203.0.113.0/24', '52.94.0.0/16'] }).corporateEgressCidrs).toEqual([
      '203.0.113.0/24',
      '52.94.0.0/16',
    ]);
  });
});

describe('the catalog names the product settings by their path in cdk.json', () => {
  /** Constructs the catalog with the hardened-eks settings changed; a settings error throws before the product stack is built. */
  const construct = (settings: Record<string, unknown>) => {
    const context = { ...projectContext() };
    delete context[CONFIG_CONTEXT_KEY];
    return new CatalogStack(new App({ context }), 'HardenedEksCatalog', { config: defaultConfig(settings) });
  };

  test.each<[string, Overrides, string, RegExp | string]>([
    ['unknown key in product settings', { publicEndpoint: true }, `${FIELD}.publicEndpoint`, 'unknown key'],
    ["endpointAccess 'public'", { endpointAccess: 'public' }, `${FIELD}.endpointAccess`, 'PV-1'],
    ['empty breakGlassRoleArns', { breakGlassRoleArns: [] }, `${FIELD}.breakGlassRoleArns`, 'must not be empty'],
    ['0.0.0.0/0 as corporate network', { corporateCidrs: ['0.0.0.0/0'] }, `${FIELD}.corporateCidrs[0]`, 'is too wide'],
  ])('%s', (_name, settings, field, rule) => {
    expectConfigError(() => construct(settings), field, rule);
  });
});

describe('detection and incident-response settings', () => {
  test('left out, they take their documented defaults', () => {
    const settings = parse({ detection: undefined, incidentResponse: undefined });
    expect(settings.detection).toEqual(DEFAULT_DETECTION);
    expect(settings.incidentResponse).toEqual({
      evidenceRetentionDays: 365,
      avmlSha256: undefined,
      workloadRolePath: '/workloads/',
    });
  });
  test('a full set of values is kept', () => {
    const detection = {
      alertEmails: ['a@example.com', 'b@example.org'],
      toolsRepository: 'platform/security-tools',
      kubeBenchImageTag: 'kube-bench-v0.15.0',
      awsCliImageTag: 'aws-cli-2.31.0',
      kubeBenchBenchmark: 'eks-1.8.0',
      kubeBenchSchedule: '5 1 * * *',
    };
    const incidentResponse = {
      evidenceRetentionDays: 30,
      avmlSha256: 'a'.repeat(64),
      workloadRolePath: '/teams/payments/',
    };
    expect(parse({ detection, incidentResponse })).toMatchObject({ detection, incidentResponse });
  });
  test.each<[string, Overrides, string, RegExp | string]>([
    [
      'unknown detection key',
      { detection: { alertEmail: 'a@example.com' } },
      `${FIELD}.detection.alertEmail`,
      /^unknown key \(allowed: alertEmails, /,
    ],
    [
      'malformed alert e-mail',
      { detection: { alertEmails: ['security'] } },
      `${FIELD}.detection.alertEmails[0]`,
      "'security' is not an e-mail address",
    ],
    [
      'kube-bench image on latest',
      { detection: { kubeBenchImageTag: 'latest' } },
      `${FIELD}.detection.kubeBenchImageTag`,
      /not latest/,
    ],
    [
      'aws-cli tag with a space',
      { detection: { awsCliImageTag: 'aws cli' } },
      `${FIELD}.detection.awsCliImageTag`,
      /an image tag naming one release/,
    ],
    [
      'tools repository in upper case',
      { detection: { toolsRepository: 'Security-Tools' } },
      `${FIELD}.detection.toolsRepository`,
      'is not an ECR repository name',
    ],
    [
      'benchmark of another platform',
      { detection: { kubeBenchBenchmark: 'cis-1.9' } },
      `${FIELD}.detection.kubeBenchBenchmark`,
      'is not a kube-bench EKS benchmark ID like eks-1.7.0',
    ],
    [
      'weekly kube-bench schedule',
      { detection: { kubeBenchSchedule: '0 3 * * 1' } },
      `${FIELD}.detection.kubeBenchSchedule`,
      /daily five-field cron schedule/,
    ],
    [
      'six-field schedule',
      { detection: { kubeBenchSchedule: '0 0 3 * * *' } },
      `${FIELD}.detection.kubeBenchSchedule`,
      /daily five-field cron schedule/,
    ],
    [
      'unknown incidentResponse key',
      { incidentResponse: { retentionDays: 30 } },
      `${FIELD}.incidentResponse.retentionDays`,
      /^unknown key/,
    ],
    [
      'evidence retention of 0 days',
      { incidentResponse: { evidenceRetentionDays: 0 } },
      `${FIELD}.incidentResponse.evidenceRetentionDays`,
      'must be a whole number from 1 to 3650',
    ],
    [
      'AVML checksum in upper case',
      { incidentResponse: { avmlSha256: 'A'.repeat(64) } },
      `${FIELD}.incidentResponse.avmlSha256`,
      'is not a SHA-256 in lowercase hex',
    ],
    [
      'AVML checksum too short',
      { incidentResponse: { avmlSha256: 'abc' } },
      `${FIELD}.incidentResponse.avmlSha256`,
      'is not a SHA-256',
    ],
    [
      'workload role path without slashes',
      { incidentResponse: { workloadRolePath: 'workloads' } },
      `${FIELD}.incidentResponse.workloadRolePath`,
      'is not an IAM path like /workloads/',
    ],
    [
      "the product's own IAM path",
      { incidentResponse: { workloadRolePath: '/hardened-eks/' } },
      `${FIELD}.incidentResponse.workloadRolePath`,
      /must not be the product's own IAM path/,
    ],
  ])('%s', (_, overrides, field, message) => {
    expectConfigError(() => parse(overrides), field, message);
  });
  test('the tools repository must not also be a team repository', () => {
    expectConfigError(
      () => parse({ repositories: ['workloads', 'security-tools'] }),
      `${FIELD}.detection.toolsRepository`,
      /is also listed in repositories/,
    );
  });
});
