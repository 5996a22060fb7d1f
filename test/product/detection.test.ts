import { PRODUCT_TAG_KEY } from '../../lib/detection/product-config-rules';
import { REQUIRED_CONFIG_RULES } from '../../nag-rules/rules/detection/config-rules-deployed';
import { ADM_ACTIONS } from '../../nag-rules/core/admin-api-actions';
import { appliedKubernetesObjects, validateKubernetesObject } from '../support/kubernetes-objects';
import { defaultConfig, defaultSettings, resourcesOfType, synthesizeCatalog } from '../support/project-app';
import { failingControls } from './failing-controls';

const config = defaultConfig();
const settings = defaultSettings(config);
const product: Record<string, any> = synthesizeCatalog(config).productJson;
const copy = (): Record<string, any> => JSON.parse(JSON.stringify(product));
const [clusterId] = resourcesOfType(product, 'AWS::EKS::Cluster').map(([id]) => id);

/** What the pack fails on the shipped product (the four findings the register exempts). */
const baseline = failingControls(product);
const without = (predicate: (id: string, resource: any) => boolean) => {
  const t = copy();
  for (const [id, r] of Object.entries(t.Resources)) if (predicate(id, r)) delete t.Resources[id];
  return t;
};
/** Every applied Kubernetes object (template values as placeholders), by the manifest resource that applies it. */
const manifests = (template: Record<string, any>) => {
  const byResource = new Map<string, any[]>();
  for (const { logicalId, object } of appliedKubernetesObjects(template))
    byResource.set(logicalId, [...(byResource.get(logicalId) ?? []), object]);
  return [...byResource];
};

describe('detective controls in the hardened EKS product (CC-DET)', () => {
  test("the pack finds only the register's exempted controls on the shipped product, and no DET control among them", () => {
    expect(baseline).toEqual(['K8S-10', 'K8S-14', 'K8S-4', 'NOD-6']);
  });

  describe('DET-1 kube-bench', () => {
    const cronJobs = manifests(product).flatMap(([id, objects]) =>
      (objects as any[]).filter((o) => o.kind === 'CronJob').map((o) => [id, o] as const),
    );

    test('one daily CronJob in kube-system runs the configured benchmark from the tools repository', () => {
      expect(cronJobs).toHaveLength(1);
      const [, job] = cronJobs[0];
      expect(job.metadata.namespace).toBe('kube-system');
      expect(job.spec.schedule).toBe(settings.detection.kubeBenchSchedule);
      const pod = job.spec.jobTemplate.spec.template.spec;
      const [bench] = pod.initContainers;
      expect(bench.command.slice(0, 2)).toEqual(['kube-bench', 'run']);
      expect(bench.command).toEqual(
        expect.arrayContaining(['--benchmark', settings.detection.kubeBenchBenchmark, '--json']),
      );
      // The image is the tools repository's URI (a token in the manifest) with the pinned tag.
      expect(bench.image).toMatch(new RegExp(`:${settings.detection.kubeBenchImageTag}$`));
      expect(pod.containers[0].image).toMatch(new RegExp(`:${settings.detection.awsCliImageTag}$`));
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    test('every applied Kubernetes object of the detective and response controls validates against the Kubernetes schema', () => {
      for (const [, objects] of manifests(product))
        for (const object of objects) expect(() => validateKubernetesObject(object)).not.toThrow();
    });

    test('the tools repository exists with immutable tags and scan on push', () => {
      const [repo] = resourcesOfType(product, 'AWS::ECR::Repository').filter(
        ([, r]) => r.Properties.RepositoryName === settings.detection.toolsRepository,
      );
      expect(repo[1].Properties).toMatchObject({
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
      });
    });

    test('failures alarm to the encrypted alert topic', () => {
      const [topicId] = resourcesOfType(product, 'AWS::SNS::Topic').map(([id]) => id);
      const alarms = resourcesOfType(product, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
      expect(alarms.map((a) => a.MetricName).sort()).toEqual(['FailedChecks', 'Reports']);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    });

    test('removing the CronJob, or the failure alarm, makes the pack fail DET-1', () => {
      const [manifestId] = cronJobs[0];
      expect(failingControls(without((id) => id === manifestId))).toContain('DET-1');
      expect(
        failingControls(
          without((_, r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'FailedChecks'),
        ),
      ).toContain('DET-1');
    });
  });

  describe('DET-2 GuardDuty runtime monitoring', () => {
    const addon = () =>
      resourcesOfType(product, 'AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'aws-guardduty-agent');

    test('the agent add-on is pinned per Kubernetes version and installed after the nodes', () => {
      const [, resource] = addon()!;
      expect(resource.Properties.AddonVersion['Fn::FindInMap'][2]).toBe('guardDutyAgent');
      const mapping = Object.values(product.Mappings as Record<string, any>).find(
        (m) => m[settings.kubernetesVersions[0]]?.guardDutyAgent,
      );
      expect(mapping).toBeDefined();
      for (const version of settings.kubernetesVersions)
        expect(mapping[version].guardDutyAgent).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      const nodegroup = resourcesOfType(product, 'AWS::EKS::Nodegroup')[0][0];
      expect([resource.DependsOn].flat()).toContain(nodegroup);
    });

    test("a guardduty-data endpoint with private DNS admits only this account's principals", () => {
      const endpoints = resourcesOfType(product, 'AWS::EC2::VPCEndpoint').filter(([, e]) =>
        JSON.stringify(e.Properties.ServiceName).includes('guardduty-data'),
      );
      expect(endpoints).toHaveLength(1);
      const [, endpoint] = endpoints[0];
      expect(endpoint.Condition).toBe('CreateVpc');
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
      expect(endpoint.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      );
    });

    test('removing the add-on or the endpoint makes the pack fail DET-2', () => {
      expect(failingControls(without((id) => id === addon()![0]))).toContain('DET-2');
      expect(
        failingControls(
          without(
            (_, r) =>
              r.Type === 'AWS::EC2::VPCEndpoint' && JSON.stringify(r.Properties.ServiceName).includes('guardduty-data'),
          ),
        ),
      ).toContain('DET-2');
    });
  });

  describe('DET-3 alerts on the admin APIs and access entries', () => {
    const rules = resourcesOfType(product, 'AWS::Events::Rule');

    test('the rules cover every ADM call (access entries, pod identities and add-ons included), to a KMS-encrypted topic with the configured subscribers', () => {
      const names = JSON.stringify(rules.map(([, r]) => r.Properties.EventPattern));
      for (const action of ADM_ACTIONS) expect(names).toContain(`"${action.replace('eks:', '')}"`);
      for (const call of ['CreateAccessEntry', 'DeleteAccessEntry', 'AssociateAccessPolicy'])
        expect(names).toContain(call);
      const [, topic] = resourcesOfType(product, 'AWS::SNS::Topic')[0];
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      const emails = resourcesOfType(product, 'AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint);
      expect(emails).toEqual(settings.detection.alertEmails);
    });

    test("dropping the admin-API rule, or the topic's encryption, makes the pack fail DET-3", () => {
      const adminRule = rules.find(([, r]) =>
        JSON.stringify(r.Properties.EventPattern).includes('"DeleteCluster"'),
      )![0];
      expect(failingControls(without((id) => id === adminRule))).toContain('DET-3');
      const plain = copy();
      for (const [, r] of resourcesOfType(plain, 'AWS::SNS::Topic')) delete r.Properties.KmsMasterKeyId;
      expect(failingControls(plain)).toContain('DET-3');
    });
  });

  describe('DET-5 AWS Config rules', () => {
    const configRules = resourcesOfType(product, 'AWS::Config::ConfigRule');

    test.each(Object.keys(REQUIRED_CONFIG_RULES))('%s is deployed, named after the cluster', (identifier) => {
      const found = configRules.filter(([, r]) => r.Properties.Source.SourceIdentifier === identifier);
      expect(found).toHaveLength(1);
      expect(JSON.stringify(found[0][1].Properties.ConfigRuleName)).toContain(clusterId);
    });

    test('the default-security-group rule exists only with the created VPC, scoped to its default group', () => {
      const [, rule] = configRules.find(
        ([, r]) => r.Properties.Source.SourceIdentifier === 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
      )!;
      expect(rule.Condition).toBe('CreateVpc');
      expect(rule.Properties.Scope.ComplianceResourceId['Fn::GetAtt'][1]).toBe('DefaultSecurityGroup');
    });

    test("the product's security groups, repositories and topics carry the tag the tag-scoped rules select", () => {
      for (const type of ['AWS::EC2::SecurityGroup', 'AWS::ECR::Repository', 'AWS::SNS::Topic']) {
        for (const [id, r] of resourcesOfType(product, type)) {
          // The ClusterName parameter, or the cluster's Ref (its name: the same value once deployed).
          expect([id, (r.Properties.Tags ?? []).find((t: any) => t.Key === PRODUCT_TAG_KEY)?.Value]).toEqual([
            id,
            expect.objectContaining({ Ref: expect.stringMatching(new RegExp(`^(ClusterName|${clusterId})$`)) }),
          ]);
        }
      }
    });

    test.each(['EKS_ENDPOINT_NO_PUBLIC_ACCESS', 'EC2_IMDSV2_CHECK', 'INCOMING_SSH_DISABLED'])(
      'removing %s makes the pack fail DET-5',
      (identifier) => {
        expect(
          failingControls(
            without(
              (_, r) => r.Type === 'AWS::Config::ConfigRule' && r.Properties.Source.SourceIdentifier === identifier,
            ),
          ),
        ).toContain('DET-5');
      },
    );
  });

  test("the created VPC's default security group is closed, by a handler that exists only with the created VPC (B8)", () => {
    const restrict = resourcesOfType(product, 'Custom::VpcRestrictDefaultSG');
    expect(restrict).toHaveLength(1);
    const handlerResources = Object.entries(product.Resources as Record<string, any>).filter(([id]) =>
      id.startsWith('CustomVpcRestrictDefaultSG'),
    );
    expect(handlerResources.length).toBeGreaterThan(0);
    for (const [, r] of [...restrict, ...handlerResources]) expect(r.Condition).toBe('CreateVpc');
  });
});
