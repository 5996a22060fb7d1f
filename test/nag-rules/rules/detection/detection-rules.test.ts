import { DETECTION_RULES } from '../../../../nag-rules/rules/detection';
import { AdminApiAlerts } from '../../../../nag-rules/rules/detection/admin-api-alerts';
import {
  ConfigRulesDeployed,
  REQUIRED_CONFIG_RULES,
} from '../../../../nag-rules/rules/detection/config-rules-deployed';
import { GuardDutyRuntimeMonitoring } from '../../../../nag-rules/rules/detection/guardduty-runtime-monitoring';
import { KubeBenchScheduled } from '../../../../nag-rules/rules/detection/kube-bench-scheduled';
import { ADM_ACTIONS } from '../../../../nag-rules/core/admin-api-actions';
import { check, checkerOf, templateOf } from '../../rule-harness';
import { messageLines } from '../../rule-findings';

const ACCESS_EVENTS = [
  'CreateAccessEntry',
  'UpdateAccessEntry',
  'DeleteAccessEntry',
  'AssociateAccessPolicy',
  'DisassociateAccessPolicy',
];
const ADM_EVENTS = ADM_ACTIONS.map((a) => a.replace('eks:', '')).filter((e) => !ACCESS_EVENTS.includes(e));
const cronJob = (image: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'kube-bench', namespace: 'kube-system' },
  spec: {
    schedule: '0 3 * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: { initContainers: [{ name: 'bench', image }], containers: [{ name: 'upload', image: 'aws-cli:2' }] },
        },
      },
    },
  },
});
const alertRule = (pattern: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Events::Rule',
  Properties: { EventPattern: pattern, Targets: [{ Arn: { Ref: 'Topic' }, Id: 't' }], ...extra },
});
const configRule = (identifier: string, scope?: unknown) => ({
  Type: 'AWS::Config::ConfigRule',
  Properties: { Source: { Owner: 'AWS', SourceIdentifier: identifier }, ...(scope ? { Scope: scope } : {}) },
});

/** A compliant template: every detective control present (`change` edits its resources first). */
function detectionTemplate(change: (resources: Record<string, any>) => void = () => {}): Record<string, any> {
  const template = templateOf(
    {
      C: { Type: 'AWS::EKS::Cluster', Properties: { Name: { Ref: 'ClusterName' } } },
      Bench: {
        Type: 'Custom::AWSCDK-EKS-KubernetesResource',
        Properties: {
          ClusterName: { Ref: 'C' },
          Manifest: JSON.stringify([
            cronJob('111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:kube-bench-v0.11.1'),
          ]),
        },
      },
      Failures: {
        Type: 'AWS::Logs::MetricFilter',
        Properties: {
          LogGroupName: 'g',
          FilterPattern: '{ $.Totals.total_fail > 0 }',
          MetricTransformations: [
            { MetricNamespace: 'HardenedEks/KubeBench', MetricName: 'Failures', MetricValue: '$.Totals.total_fail' },
          ],
        },
      },
      FailureAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'HardenedEks/KubeBench',
          MetricName: 'Failures',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          AlarmActions: [{ Ref: 'Topic' }],
        },
      },
      GuardDuty: {
        Type: 'AWS::EKS::Addon',
        Properties: { ClusterName: { Ref: 'C' }, AddonName: 'aws-guardduty-agent' },
      },
      GuardDutyEndpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.guardduty-data']] },
          PrivateDnsEnabled: true,
        },
      },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      Admin: alertRule({ source: ['aws.eks'], detail: { eventSource: ['eks.amazonaws.com'], eventName: ADM_EVENTS } }),
      Access: alertRule({
        source: ['aws.eks'],
        detail: { eventSource: ['eks.amazonaws.com'], eventName: ACCESS_EVENTS },
      }),
      ...Object.fromEntries(Object.keys(REQUIRED_CONFIG_RULES).map((id, i) => [`Config${i}`, configRule(id)])),
    },
    { Parameters: { ClusterName: { Type: 'String' } } },
  );
  change(template.Resources as Record<string, any>);
  return template;
}

describe('detection rules on a compliant template', () => {
  // DET-6 judges Lambda functions (test/nag-rules/rules/detection/privileged-functions-alerted.test.ts).
  test.each(
    DETECTION_RULES.filter((r) => r.resourceTypes.includes('AWS::EKS::Cluster')).map((r) => [r.controlId, r] as const),
  )('%s passes and is a warning', (_, rule) => {
    expect(check(rule, detectionTemplate(), 'C')).toMatchObject({ status: 'pass', findings: [] });
    expect(rule.level).toBe('warning');
  });
});

/** Runs a rule on the cluster `C` of the compliant template once its resources are edited. */
const checkEdited = checkerOf(detectionTemplate, 'C');
const KUBE_BENCH_IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:kube-bench-v0.16.0';

describe('DET-1 KubeBenchScheduled', () => {
  test('fails without the CronJob, with another image, or for another cluster', () => {
    const none = checkEdited(KubeBenchScheduled, (r) => {
      delete r.Bench;
    });
    expect(messageLines(none)).toMatch(/no CronJob of the cluster runs kube-bench/);
    const suspended = checkEdited(KubeBenchScheduled, (r) => {
      const job = cronJob(KUBE_BENCH_IMAGE) as any;
      job.spec.suspend = true;
      r.Bench.Properties.Manifest = JSON.stringify([job]);
    });
    expect(messageLines(suspended)).toMatch(/or it is suspended/);
    const other = checkEdited(KubeBenchScheduled, (r) => {
      r.Bench.Properties.Manifest = JSON.stringify([cronJob('busybox:1.36')]);
    });
    expect(other.status).toBe('fail');
    const byCommand = checkEdited(KubeBenchScheduled, (r) => {
      const job = cronJob('111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:v0.16.0') as any;
      job.spec.jobTemplate.spec.template.spec.initContainers[0].command = ['kube-bench', 'run', '--targets', 'node'];
      r.Bench.Properties.Manifest = JSON.stringify([job]);
    });
    expect(byCommand.status).toBe('pass');
    const elsewhere = checkEdited(KubeBenchScheduled, (r) => {
      r.Bench.Properties.ClusterName = 'another-cluster';
    });
    expect(elsewhere.status).toBe('fail');
  });
  test('fails when failures alarm nobody, or when the metric counts every run', () => {
    const noAlarm = checkEdited(KubeBenchScheduled, (r) => {
      delete r.FailureAlarm;
    });
    expect(messageLines(noAlarm)).toMatch(/alert nobody/);
    const counted = checkEdited(KubeBenchScheduled, (r) => {
      r.Failures.Properties.MetricTransformations[0].MetricValue = '1';
    });
    expect(counted.status).toBe('fail');
  });
  test.each([
    ['no actions', { AlarmActions: [] }, 'fail'],
    ['its actions disabled', { ActionsEnabled: false }, 'fail'],
    ['a lenient threshold', { Threshold: 1000 }, 'fail'],
    ['a less-than comparison', { ComparisonOperator: 'LessThanThreshold' }, 'fail'],
    [
      'a threshold of at least one failure',
      { ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1 },
      'pass',
    ],
    ['another metric', { MetricName: 'Runs' }, 'fail'],
  ])('a failure alarm with %s: %j -> %s', (_case, properties, status) => {
    const edited = checkEdited(KubeBenchScheduled, (r) => {
      Object.assign(r.FailureAlarm.Properties, properties);
    });
    expect(edited.status).toBe(status);
  });
});

describe('DET-2 GuardDutyRuntimeMonitoring', () => {
  test('fails without the agent add-on or without the endpoint', () => {
    const noAgent = checkEdited(GuardDutyRuntimeMonitoring, (r) => {
      delete r.GuardDuty;
    });
    expect(messageLines(noAgent)).toMatch(/no aws-guardduty-agent add-on/);
    const noEndpoint = checkEdited(GuardDutyRuntimeMonitoring, (r) => {
      r.GuardDutyEndpoint.Properties.PrivateDnsEnabled = false;
    });
    expect(messageLines(noEndpoint)).toMatch(/no guardduty-data VPC endpoint/);
    const dnsDefault = checkEdited(GuardDutyRuntimeMonitoring, (r) => {
      delete r.GuardDutyEndpoint.Properties.PrivateDnsEnabled;
    });
    expect(dnsDefault.status).toBe('fail');
    const otherCluster = checkEdited(GuardDutyRuntimeMonitoring, (r) => {
      r.GuardDuty.Properties.ClusterName = 'another';
    });
    expect(otherCluster.status).toBe('fail');
  });
});

describe('DET-3 AdminApiAlerts', () => {
  test('names each admin or access-entry call no rule alerts on', () => {
    const partial = checkEdited(AdminApiAlerts, (r) => {
      r.Admin.Properties.EventPattern.detail.eventName = ADM_EVENTS.filter((e) => e !== 'DeleteCluster');
    });
    expect(messageLines(partial)).toMatch(/no enabled EventBridge rule sends DeleteCluster \(CloudTrail/);
    const noAccess = checkEdited(AdminApiAlerts, (r) => {
      delete r.Access;
    });
    expect(messageLines(noAccess)).toMatch(
      /CreateAccessEntry, UpdateAccessEntry, DeleteAccessEntry, AssociateAccessPolicy, DisassociateAccessPolicy/,
    );
  });
  test('disabled rules, unencrypted topics and other event sources do not count', () => {
    const disabled = checkEdited(AdminApiAlerts, (r) => {
      r.Admin.Properties.State = 'DISABLED';
    });
    expect(disabled.status).toBe('fail');
    const plain = checkEdited(AdminApiAlerts, (r) => {
      delete r.Topic.Properties.KmsMasterKeyId;
    });
    expect(plain.status).toBe('fail');
    const other = checkEdited(AdminApiAlerts, (r) => {
      r.Admin.Properties.EventPattern.detail.eventSource = ['ec2.amazonaws.com'];
    });
    expect(other.status).toBe('fail');
  });
  test('reads $or branches and a pattern given as a JSON string', () => {
    const fromJson = checkEdited(AdminApiAlerts, (r) => {
      r.Admin.Properties.EventPattern = JSON.stringify({
        source: ['aws.eks'],
        detail: {
          eventSource: ['eks.amazonaws.com'],
          $or: [{ eventName: ADM_EVENTS.slice(0, 6) }, { eventName: ADM_EVENTS.slice(6) }],
        },
      });
    });
    expect(fromJson.status).toBe('pass');
  });
});

describe('DET-5 ConfigRulesDeployed', () => {
  test.each(Object.keys(REQUIRED_CONFIG_RULES))('fails without %s', (identifier) => {
    const without = checkEdited(ConfigRulesDeployed, (r) => {
      const [id] = Object.entries(r).find(
        ([, resource]) => resource.Properties?.Source?.SourceIdentifier === identifier,
      )!;
      delete r[id];
    });
    expect(messageLines(without)).toBe(
      `no AWS Config rule ${identifier}: nothing reports when ${REQUIRED_CONFIG_RULES[identifier]}`,
    );
  });
  test('a rule scoped to another cluster does not count; one scoped to this cluster does', () => {
    const t = detectionTemplate();
    t.Resources.Config0.Properties.Scope = {
      ComplianceResourceTypes: ['AWS::EKS::Cluster'],
      ComplianceResourceId: 'someone-else',
    };
    expect(messageLines(check(ConfigRulesDeployed, t, 'C'))).toMatch(
      /Config0 \(EKS_ENDPOINT_NO_PUBLIC_ACCESS\) is scoped to another cluster/,
    );
    t.Resources.Config0.Properties.Scope.ComplianceResourceId = { Ref: 'ClusterName' };
    expect(check(ConfigRulesDeployed, t, 'C').status).toBe('pass');
  });
  test('custom rules do not stand in for managed ones', () => {
    const custom = checkEdited(ConfigRulesDeployed, (r) => {
      r.Config0.Properties.Source.Owner = 'CUSTOM_LAMBDA';
    });
    expect(custom.status).toBe('fail');
  });
});
