import { DETECTION_RULES } from '../../../../nag-rules/rules/detection';
import { AdminApiAlerts } from '../../../../nag-rules/rules/detection/admin-api-alerts';
import {
  ConfigRulesDeployed,
  REQUIRED_CONFIG_RULES,
} from '../../../../nag-rules/rules/detection/config-rules-deployed';
import { GuardDutyRuntimeMonitoring } from '../../../../nag-rules/rules/detection/guardduty-runtime-monitoring';
import { KubeBenchScheduled } from '../../../../nag-rules/rules/detection/kube-bench-scheduled';
import { ADM_ACTIONS } from '../../../../nag-rules/core/admin-api-actions';
import { Evaluation } from '../../../../nag-rules/core/evaluate';
import { ThreatModelRule } from '../../../../nag-rules/core/rule';
import { check, messageLines, templateOf } from '../../rule-harness';

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

/** An edit of the compliant template's resources. */
type Edit = (resources: Record<string, any>) => void;
/** The rule's evaluation of the cluster `C` of the compliant template once its resources are edited. */
function checkEdited(rule: ThreatModelRule, edit: Edit): Evaluation {
  const template = detectionTemplate();
  edit(template.Resources);
  return check(rule, template, 'C');
}
const KUBE_BENCH_IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:kube-bench-v0.16.0';

describe('DET-1 KubeBenchScheduled', () => {
  test('fails without the CronJob, or with a suspended one', () => {
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
  });
  test.each<[string, string, Edit]>([
    [
      'another image',
      'fail',
      (r) => {
        r.Bench.Properties.Manifest = JSON.stringify([cronJob('busybox:1.36')]);
      },
    ],
    [
      'kube-bench named by its command, not its image tag',
      'pass',
      (r) => {
        const job = cronJob('111122223333.dkr.ecr.eu-west-1.amazonaws.com/security-tools:v0.16.0') as any;
        job.spec.jobTemplate.spec.template.spec.initContainers[0].command = ['kube-bench', 'run', '--targets', 'node'];
        r.Bench.Properties.Manifest = JSON.stringify([job]);
      },
    ],
    [
      'the CronJob applied to another cluster',
      'fail',
      (r) => {
        r.Bench.Properties.ClusterName = 'another-cluster';
      },
    ],
  ])('the CronJob: %s (%s)', (_case, status, edit) => {
    expect(checkEdited(KubeBenchScheduled, edit).status).toBe(status);
  });
  test('fails when failures alarm nobody', () => {
    const noAlarm = checkEdited(KubeBenchScheduled, (r) => {
      delete r.FailureAlarm;
    });
    expect(messageLines(noAlarm)).toMatch(/alert nobody/);
  });
  test.each<[string, string, Edit]>([
    [
      'no alarm actions',
      'fail',
      (r) => {
        r.FailureAlarm.Properties.AlarmActions = [];
      },
    ],
    [
      'actions disabled',
      'fail',
      (r) => {
        r.FailureAlarm.Properties.ActionsEnabled = false;
      },
    ],
    [
      'the metric counts every run',
      'fail',
      (r) => {
        r.Failures.Properties.MetricTransformations[0].MetricValue = '1';
      },
    ],
    [
      'a lenient threshold',
      'fail',
      (r) => {
        r.FailureAlarm.Properties.Threshold = 1000;
      },
    ],
    [
      'alarming below the threshold',
      'fail',
      (r) => {
        r.FailureAlarm.Properties.ComparisonOperator = 'LessThanThreshold';
      },
    ],
    [
      'alarming at one failure or more',
      'pass',
      (r) => {
        Object.assign(r.FailureAlarm.Properties, { ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1 });
      },
    ],
    [
      'another metric',
      'fail',
      (r) => {
        r.FailureAlarm.Properties.MetricName = 'Runs';
      },
    ],
  ])('the failure alarm: %s (%s)', (_case, status, edit) => {
    expect(checkEdited(KubeBenchScheduled, edit).status).toBe(status);
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
  });
  test.each<[string, Edit]>([
    [
      'the endpoint leaves private DNS to its default',
      (r) => {
        delete r.GuardDutyEndpoint.Properties.PrivateDnsEnabled;
      },
    ],
    [
      'the agent runs on another cluster',
      (r) => {
        r.GuardDuty.Properties.ClusterName = 'another';
      },
    ],
  ])('fails when %s', (_case, edit) => {
    expect(checkEdited(GuardDutyRuntimeMonitoring, edit).status).toBe('fail');
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
  test.each<[string, Edit]>([
    [
      'disabled rules',
      (r) => {
        r.Admin.Properties.State = 'DISABLED';
      },
    ],
    [
      'unencrypted topics',
      (r) => {
        delete r.Topic.Properties.KmsMasterKeyId;
      },
    ],
    [
      'other event sources',
      (r) => {
        r.Admin.Properties.EventPattern.detail.eventSource = ['ec2.amazonaws.com'];
      },
    ],
  ])('%s do not count', (_case, edit) => {
    expect(checkEdited(AdminApiAlerts, edit).status).toBe('fail');
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
