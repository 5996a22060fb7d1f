import { DETECTION_RULES } from '../../../../nag-rules/rules/detection';
import { AdminApiAlerts } from '../../../../nag-rules/rules/detection/admin-api-alerts';
import {
  ConfigRulesDeployed,
  REQUIRED_CONFIG_RULES,
} from '../../../../nag-rules/rules/detection/config-rules-deployed';
import { GuardDutyRuntimeMonitoring } from '../../../../nag-rules/rules/detection/guardduty-runtime-monitoring';
import { KubeBenchScheduled } from '../../../../nag-rules/rules/detection/kube-bench-scheduled';
import { ADM_ACTIONS } from '../../../../nag-rules/core/admin-api-actions';
import { check, templateOf, messageLines } from '../../rule-harness';

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

/** A compliant template: every detective control present. */
function detectionTemplate(): Record<string, any> {
  return templateOf(
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

describe('DET-1 KubeBenchScheduled', () => {
  test('fails without the CronJob, with another image, or for another cluster', () => {
    const none = detectionTemplate();
    delete none.Resources.Bench;
    expect(messageLines(check(KubeBenchScheduled, none, 'C'))).toMatch(/no CronJob of the cluster runs kube-bench/);
    const suspended = detectionTemplate();
    const suspendedJob = cronJob(
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:kube-bench-v0.16.0',
    ) as any;
    suspendedJob.spec.suspend = true;
    suspended.Resources.Bench.Properties.Manifest = JSON.stringify([suspendedJob]);
    expect(messageLines(check(KubeBenchScheduled, suspended, 'C'))).toMatch(/or it is suspended/);
    const other = detectionTemplate();
    other.Resources.Bench.Properties.Manifest = JSON.stringify([cronJob('busybox:1.36')]);
    expect(check(KubeBenchScheduled, other, 'C').status).toBe('fail');
    const byCommand = detectionTemplate();
    const job = cronJob('111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:v0.16.0') as any;
    job.spec.jobTemplate.spec.template.spec.initContainers[0].command = ['kube-bench', 'run', '--targets', 'node'];
    byCommand.Resources.Bench.Properties.Manifest = JSON.stringify([job]);
    expect(check(KubeBenchScheduled, byCommand, 'C').status).toBe('pass');
    const elsewhere = detectionTemplate();
    elsewhere.Resources.Bench.Properties.ClusterName = 'another-cluster';
    expect(check(KubeBenchScheduled, elsewhere, 'C').status).toBe('fail');
  });
  test('fails when failures alarm nobody', () => {
    const noAlarm = detectionTemplate();
    delete noAlarm.Resources.FailureAlarm;
    expect(messageLines(check(KubeBenchScheduled, noAlarm, 'C'))).toMatch(/alert nobody/);
    const noActions = detectionTemplate();
    noActions.Resources.FailureAlarm.Properties.AlarmActions = [];
    expect(check(KubeBenchScheduled, noActions, 'C').status).toBe('fail');
    const disabled = detectionTemplate();
    disabled.Resources.FailureAlarm.Properties.ActionsEnabled = false;
    expect(check(KubeBenchScheduled, disabled, 'C').status).toBe('fail');
    const counted = detectionTemplate();
    counted.Resources.Failures.Properties.MetricTransformations[0].MetricValue = '1';
    expect(check(KubeBenchScheduled, counted, 'C').status).toBe('fail');
    const lenient = detectionTemplate();
    lenient.Resources.FailureAlarm.Properties.Threshold = 1000;
    expect(check(KubeBenchScheduled, lenient, 'C').status).toBe('fail');
    const below = detectionTemplate();
    below.Resources.FailureAlarm.Properties.ComparisonOperator = 'LessThanThreshold';
    expect(check(KubeBenchScheduled, below, 'C').status).toBe('fail');
    const atLeastOne = detectionTemplate();
    Object.assign(atLeastOne.Resources.FailureAlarm.Properties, {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
    expect(check(KubeBenchScheduled, atLeastOne, 'C').status).toBe('pass');
    const otherMetric = detectionTemplate();
    otherMetric.Resources.FailureAlarm.Properties.MetricName = 'Runs';
    expect(check(KubeBenchScheduled, otherMetric, 'C').status).toBe('fail');
  });
});

describe('DET-2 GuardDutyRuntimeMonitoring', () => {
  test('fails without the agent add-on or without the endpoint', () => {
    const noAgent = detectionTemplate();
    delete noAgent.Resources.GuardDuty;
    expect(messageLines(check(GuardDutyRuntimeMonitoring, noAgent, 'C'))).toMatch(/no aws-guardduty-agent add-on/);
    const noEndpoint = detectionTemplate();
    noEndpoint.Resources.GuardDutyEndpoint.Properties.PrivateDnsEnabled = false;
    expect(messageLines(check(GuardDutyRuntimeMonitoring, noEndpoint, 'C'))).toMatch(/no guardduty-data VPC endpoint/);
    const dnsDefault = detectionTemplate();
    delete dnsDefault.Resources.GuardDutyEndpoint.Properties.PrivateDnsEnabled;
    expect(check(GuardDutyRuntimeMonitoring, dnsDefault, 'C').status).toBe('fail');
    const otherCluster = detectionTemplate();
    otherCluster.Resources.GuardDuty.Properties.ClusterName = 'another';
    expect(check(GuardDutyRuntimeMonitoring, otherCluster, 'C').status).toBe('fail');
  });
});

describe('DET-3 AdminApiAlerts', () => {
  test('names each admin or access-entry call no rule alerts on', () => {
    const partial = detectionTemplate();
    partial.Resources.Admin.Properties.EventPattern.detail.eventName = ADM_EVENTS.filter((e) => e !== 'DeleteCluster');
    expect(messageLines(check(AdminApiAlerts, partial, 'C'))).toMatch(
      /no enabled EventBridge rule sends DeleteCluster \(CloudTrail/,
    );
    const noAccess = detectionTemplate();
    delete noAccess.Resources.Access;
    expect(messageLines(check(AdminApiAlerts, noAccess, 'C'))).toMatch(
      /CreateAccessEntry, UpdateAccessEntry, DeleteAccessEntry, AssociateAccessPolicy, DisassociateAccessPolicy/,
    );
  });
  test('disabled rules, unencrypted topics and other event sources do not count', () => {
    const disabled = detectionTemplate();
    disabled.Resources.Admin.Properties.State = 'DISABLED';
    expect(check(AdminApiAlerts, disabled, 'C').status).toBe('fail');
    const plain = detectionTemplate();
    delete plain.Resources.Topic.Properties.KmsMasterKeyId;
    expect(check(AdminApiAlerts, plain, 'C').status).toBe('fail');
    const other = detectionTemplate();
    other.Resources.Admin.Properties.EventPattern.detail.eventSource = ['ec2.amazonaws.com'];
    expect(check(AdminApiAlerts, other, 'C').status).toBe('fail');
  });
  test('reads $or branches and a pattern given as a JSON string', () => {
    const t = detectionTemplate();
    t.Resources.Admin.Properties.EventPattern = JSON.stringify({
      source: ['aws.eks'],
      detail: {
        eventSource: ['eks.amazonaws.com'],
        $or: [{ eventName: ADM_EVENTS.slice(0, 6) }, { eventName: ADM_EVENTS.slice(6) }],
      },
    });
    expect(check(AdminApiAlerts, t, 'C').status).toBe('pass');
  });
});

describe('DET-5 ConfigRulesDeployed', () => {
  test.each(Object.keys(REQUIRED_CONFIG_RULES))('fails without %s', (identifier) => {
    const t = detectionTemplate();
    const [id] = Object.entries(t.Resources).find(
      ([, r]: [string, any]) => r.Properties?.Source?.SourceIdentifier === identifier,
    )!;
    delete t.Resources[id];
    expect(messageLines(check(ConfigRulesDeployed, t, 'C'))).toBe(
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
    const t = detectionTemplate();
    t.Resources.Config0.Properties.Source.Owner = 'CUSTOM_LAMBDA';
    expect(check(ConfigRulesDeployed, t, 'C').status).toBe('fail');
  });
});
