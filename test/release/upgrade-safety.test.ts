import * as fs from 'fs';
import * as path from 'path';
import release from '../../products/hardened-eks/release.json';
import { describeChange, diffUpgrade } from '../../lib/release/upgrade-safety';

/**
 * Upgrade safety on the product's real templates: the committed snapshots of the home hub, and copies of the current
 * one changed the way a code change would change them. Which property change replaces a resource comes from
 * @aws-cdk/cloudformation-diff.
 */
const SNAPSHOTS = path.join(__dirname, '..', '..', 'products', 'hardened-eks', 'snapshots');
const homeSnapshot = (version: string) =>
  JSON.parse(
    fs.readFileSync(
      path.join(
        SNAPSHOTS,
        fs
          .readdirSync(SNAPSHOTS)
          .find(
            (f) =>
              f.startsWith('HardenedEksCatalogHardenedEksHistory') && f.endsWith(`.${version}.product.template.json`),
          )!,
      ),
      'utf8',
    ),
  );

const current: Record<string, any> = homeSnapshot(release.current.name);
const copy = (): Record<string, any> => structuredClone(current);
const idOf = (type: string, index = 0) =>
  Object.entries<any>(current.Resources).filter(([, r]) => r.Type === type)[index][0];

/** What renaming a construct does to a template: the resource's logical ID changes, and every reference follows. */
function renamed(template: Record<string, any>, logicalId: string, to: string): Record<string, any> {
  const text = JSON.stringify(template).split(`"${logicalId}"`).join(`"${to}"`).split(`"${logicalId}.`).join(`"${to}.`);
  return JSON.parse(text);
}

test('v1.0.0 to the current version adds and updates resources, and replaces or removes nothing stateful', () => {
  const diff = diffUpgrade(homeSnapshot('v1.0.0'), current);
  expect(diff.added).toBeGreaterThan(0);
  expect(diff.updated).toBeGreaterThan(0);
  expect(diff.breaking).toEqual([]);
  expect(diff.warnings).toEqual([]);
});

test("renaming the cluster's construct removes the cluster: named, with the resource added instead", () => {
  const cluster = idOf('AWS::EKS::Cluster');
  const diff = diffUpgrade(current, renamed(current, cluster, 'ClusterRenamed'));

  expect(diff.breaking).toContainEqual({
    logicalId: cluster,
    resourceType: 'AWS::EKS::Cluster',
    impact: 'removed',
    properties: [],
    addedInstead: ['ClusterRenamed'],
  });
  expect(describeChange(diff.breaking.find((c) => c.logicalId === cluster)!)).toBe(
    `AWS::EKS::Cluster ${cluster} would be removed (its logical ID is gone; added instead: ClusterRenamed (a renamed construct?))`,
  );
});

/** The report of resource `logicalId` of `resourceType` replaced because `property` changed. */
const replacement = (logicalId: string, resourceType: string, property: string) => ({
  logicalId,
  resourceType,
  impact: 'replaced',
  properties: [property],
  addedInstead: [],
});

test('changing a property that replaces the cluster names the cluster and the property', () => {
  const changed = copy();
  const cluster = idOf('AWS::EKS::Cluster');
  changed.Resources[cluster].Properties.KubernetesNetworkConfig = {
    ...changed.Resources[cluster].Properties.KubernetesNetworkConfig,
    ServiceIpv4Cidr: '172.21.0.0/16',
  };

  const diff = diffUpgrade(current, changed);

  expect(diff.breaking).toEqual([replacement(cluster, 'AWS::EKS::Cluster', 'KubernetesNetworkConfig')]);
  expect(describeChange(diff.breaking[0])).toBe(
    `AWS::EKS::Cluster ${cluster} would be replaced (property KubernetesNetworkConfig changes)`,
  );
});

test("renaming the secrets key's construct removes the key, and replaces the cluster it encrypts (EncryptionConfig)", () => {
  const cluster = idOf('AWS::EKS::Cluster');
  const key = current.Resources[cluster].Properties.EncryptionConfig[0].Provider.KeyArn['Fn::GetAtt'][0];
  expect(current.Resources[key].Type).toBe('AWS::KMS::Key');

  const diff = diffUpgrade(current, renamed(current, key, 'SecretsKeyRenamed'));

  expect(diff.breaking).toEqual(
    expect.arrayContaining([
      {
        logicalId: key,
        resourceType: 'AWS::KMS::Key',
        impact: 'removed',
        properties: [],
        addedInstead: ['SecretsKeyRenamed'],
      },
      expect.objectContaining({
        logicalId: cluster,
        resourceType: 'AWS::EKS::Cluster',
        properties: ['EncryptionConfig'],
      }),
    ]),
  );
});

test('a key property CloudFormation updates in place is no breaking change (no key property replaces a key)', () => {
  const changed = copy();
  const key = idOf('AWS::KMS::Key');
  changed.Resources[key].Properties.Description = 'Another description';

  const diff = diffUpgrade(current, changed);

  expect(diff.updated).toBe(1);
  expect(diff.breaking).toEqual([]);
});

test('a log group whose name changes is replaced', () => {
  const changed = copy();
  const logGroup = idOf('AWS::Logs::LogGroup');
  changed.Resources[logGroup].Properties.LogGroupName = '/hardened-eks/renamed';

  expect(diffUpgrade(current, changed).breaking).toEqual([
    replacement(logGroup, 'AWS::Logs::LogGroup', 'LogGroupName'),
  ]);
});

test('a replaced node group is a warning, not a breaking change', () => {
  const changed = copy();
  const nodegroup = idOf('AWS::EKS::Nodegroup');
  changed.Resources[nodegroup].Properties.NodegroupName = 'renamed';

  const diff = diffUpgrade(current, changed);

  expect(diff.breaking).toEqual([]);
  expect(diff.warnings).toEqual([replacement(nodegroup, 'AWS::EKS::Nodegroup', 'NodegroupName')]);
});

test('a resource kept on deletion counts as stateful whatever its type; a stateless one may be replaced', () => {
  const changed = copy();
  const securityGroup = idOf('AWS::EC2::SecurityGroup');
  changed.Resources[securityGroup].Properties.GroupDescription = 'Replaced: the description is immutable';
  const before = copy();
  before.Resources.KeptParameter = {
    Type: 'AWS::SSM::Parameter',
    DeletionPolicy: 'Retain',
    Properties: { Type: 'String', Value: 'x' },
  };

  const diff = diffUpgrade(before, changed);

  // The security group and what refers to it by ID may be replaced: none of them is stateful.
  expect(diff.replaced).toBeGreaterThanOrEqual(1);
  expect(diff.breaking).toEqual([
    {
      logicalId: 'KeptParameter',
      resourceType: 'AWS::SSM::Parameter',
      impact: 'removed',
      properties: [],
      addedInstead: [],
    },
  ]);
});
