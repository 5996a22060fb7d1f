import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { AwsSolutionsChecks } from 'cdk-nag';
import { logicalIdOf } from '../../lib/compliance/acknowledge';
import {
  KUBE_BENCH_CRONJOB_NAME,
  KUBE_BENCH_HOST_PATHS,
  KUBE_BENCH_METRIC_NAMESPACE,
  KubeBenchSchedule,
  KubeBenchScheduleProps,
  UPLOAD_SCRIPT,
} from '../../lib/detection/kube-bench-schedule';
import { evaluateResource } from '../../nag-rules/core/evaluate';
import { TemplateModel } from '../../nag-rules/core/template-model';
import { KubeBenchScheduled } from '../../nag-rules/rules/detection/kube-bench-scheduled';
import { IrsaTrustScoped } from '../../nag-rules/rules/identity/irsa-trust-scoped';
import { decide } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { appliedKubernetesObjects, AppliedObject, validateKubernetesObject } from '../support/kubernetes-objects';
import { KubeBenchFixture, kubeBenchFixture, projectApp, reportFileText, SAMPLE_REPORT } from './kube-bench-fixture';

let fixture: KubeBenchFixture;
let template: Record<string, any>;
let objects: AppliedObject[];
let cronJob: Record<string, any>;
let podSpec: Record<string, any>;
beforeAll(() => {
  fixture = kubeBenchFixture();
  template = fixture.template;
  objects = appliedKubernetesObjects(template);
  cronJob = objects.find((o) => o.object.kind === 'CronJob')!.object;
  podSpec = cronJob.spec.jobTemplate.spec.template.spec;
});

const resourcesOfType = (type: string) =>
  Object.entries(template.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
const kubeBench = () => podSpec.initContainers.find((c: any) => c.name === 'kube-bench');
const uploader = () => podSpec.containers.find((c: any) => c.name === 'upload');
const allContainers = (): any[] => [...podSpec.initContainers, ...podSpec.containers];

/** AwsSolutions findings (not acknowledged) on constructs below a path. */
function nagFindingsUnder(stack: Stack, pathPrefix: string): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  const all = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}: ${r.constructPath}`));
  // The cluster's own findings are outside the construct; make sure the filter sees real paths.
  expect(all.some((f) => f.includes(`${stack.stackName}/Cluster/`))).toBe(true);
  return all.filter((f) => f.includes(`: ${pathPrefix}`));
}

describe('applied Kubernetes objects', () => {
  test('a ServiceAccount and a CronJob, each valid against the Kubernetes schema', () => {
    const mine = objects.filter((o) => o.object.metadata?.name === KUBE_BENCH_CRONJOB_NAME);
    expect(mine.map((o) => `${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`).sort()).toEqual(
      ['CronJob kube-system/kube-bench', 'ServiceAccount kube-system/kube-bench'],
    );
    for (const { object } of objects) expect(() => validateKubernetesObject(object)).not.toThrow();
  });

  test('the CronJob is the only object of its own KubernetesManifest (the scope of its K8S-4 and K8S-10 exemptions)', () => {
    const id = logicalIdOf(fixture.schedule.cronJobManifest);
    expect(objects.filter((o) => o.logicalId === id).map((o) => o.object.kind)).toEqual(['CronJob']);
    expect(template.Resources[id].DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^KubeBenchServiceAccount/)]),
    );
  });

  test("the ServiceAccount does not automount API tokens, carries the IRSA role and keeps CDK's prune label", () => {
    const account = objects.find(
      (o) => o.object.kind === 'ServiceAccount' && o.object.metadata.name === KUBE_BENCH_CRONJOB_NAME,
    )!;
    expect(account.object.automountServiceAccountToken).toBe(false);
    const roleId = logicalIdOf(fixture.schedule.serviceAccount.role.node.defaultChild!.node.scope as any);
    expect(account.object.metadata.annotations['eks.amazonaws.com/role-arn']).toContain(`${roleId}.Arn`);
    const pruneLabel = template.Resources[account.logicalId].Properties.PruneLabel;
    expect(pruneLabel).toMatch(/^aws\.cdk\.eks\/prune-/);
    expect(account.object.metadata.labels).toHaveProperty([pruneLabel], '');
  });
});

describe('CronJob', () => {
  test('daily in UTC, never overlapping, bounded history, retries and run time', () => {
    expect(cronJob.spec).toMatchObject({
      schedule: '17 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    const job = cronJob.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBeLessThanOrEqual(2);
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(job.activeDeadlineSeconds).toBeLessThanOrEqual(3600);
  });

  test('pod: host PID only, no API token, its own service account, Linux nodes, RuntimeDefault seccomp', () => {
    expect(podSpec).toMatchObject({
      hostPID: true,
      hostNetwork: false,
      hostIPC: false,
      automountServiceAccountToken: false,
      serviceAccountName: KUBE_BENCH_CRONJOB_NAME,
      restartPolicy: 'Never',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    });
  });

  test('every container: unprivileged, no privilege escalation, read-only root filesystem, all capabilities dropped, requests and limits', () => {
    expect(allContainers()).toHaveLength(2);
    for (const c of allContainers()) {
      expect([c.name, c.securityContext]).toEqual([
        c.name,
        expect.objectContaining({
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        }),
      ]);
      expect(Object.keys(c.securityContext.capabilities)).toEqual(['drop']);
      for (const kind of ['requests', 'limits'])
        expect(Object.keys(c.resources[kind]).sort()).toEqual(['cpu', 'memory']);
    }
  });

  test('kube-bench runs as root without capabilities (root-owned kubelet files); the uploader runs as non-root', () => {
    expect(kubeBench().securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false });
    expect(uploader().securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true });
  });

  test('the IRSA webhook skips the kube-bench container: only the uploader gets AWS credentials', () => {
    expect(cronJob.spec.jobTemplate.spec.template.metadata.annotations).toEqual({
      'eks.amazonaws.com/skip-containers': 'kube-bench',
    });
  });

  test('images come from the private repository with a pinned tag, never :latest', () => {
    const repositoryId = resourcesOfType('AWS::ECR::Repository')[0][0];
    expect(kubeBench().image).toMatch(new RegExp(`\\$\\{Token:${repositoryId}\\}:kube-bench-v0\\.15\\.0$`));
    expect(uploader().image).toMatch(new RegExp(`\\$\\{Token:${repositoryId}\\}:aws-cli-2\\.27\\.0$`));
    for (const c of allContainers()) expect(c.image).not.toMatch(/:latest$/);
  });

  test('kube-bench runs the node targets of the EKS benchmark and writes JSON to the shared emptyDir', () => {
    expect(kubeBench().command).toEqual([
      'kube-bench',
      'run',
      '--targets',
      'node',
      '--benchmark',
      'eks-1.8.0',
      '--json',
      '--outputfile',
      '/results/report.json',
    ]);
    expect(kubeBench().volumeMounts).toContainEqual({ name: 'results', mountPath: '/results' });
    expect(uploader().volumeMounts).toContainEqual({ name: 'results', mountPath: '/results', readOnly: true });
    expect(podSpec.volumes.find((v: any) => v.name === 'results')).toHaveProperty('emptyDir');
  });

  test("host paths are those of kube-bench's job-eks.yaml, mounted read-only and only into kube-bench", () => {
    const hostVolumes = podSpec.volumes.filter((v: any) => v.hostPath);
    expect(hostVolumes.map((v: any) => v.hostPath.path).sort()).toEqual([...KUBE_BENCH_HOST_PATHS].sort());
    const hostNames = hostVolumes.map((v: any) => v.name);
    const mounts = kubeBench().volumeMounts.filter((m: any) => hostNames.includes(m.name));
    expect(mounts).toHaveLength(KUBE_BENCH_HOST_PATHS.length);
    for (const m of mounts) expect(m.readOnly).toBe(true);
    expect(uploader().volumeMounts.filter((m: any) => hostNames.includes(m.name))).toEqual([]);
  });

  test('the uploader is told the log group, cluster, region, node and pod', () => {
    const env = Object.fromEntries(uploader().env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.LOG_GROUP_NAME).toBe(`\${Token:${logicalIdOf(fixture.schedule.logGroup)}}`);
    expect(env.CLUSTER_NAME).toBe(`\${Token:${logicalIdOf(fixture.cluster)}}`);
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(env.NODE_NAME).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(env.POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(uploader().command).toEqual(['/bin/sh', '-c', UPLOAD_SCRIPT]);
  });

  test('the uploader runs its script file without the comment block, and reads the report where kube-bench writes it', () => {
    const file = fs.readFileSync(
      path.join(__dirname, '..', '..', 'lib', 'detection', 'kube-bench-schedule', 'upload-report.sh'),
      'utf8',
    );
    expect(file.startsWith('#!/bin/sh\n')).toBe(true);
    expect(file.endsWith(`\n${UPLOAD_SCRIPT}\n`)).toBe(true);
    expect(UPLOAD_SCRIPT.split('\n')[0]).toBe('set -eu');
    const command: string[] = kubeBench().command;
    expect(UPLOAD_SCRIPT.split('\n')).toContain(`report=${command[command.indexOf('--outputfile') + 1]}`);
  });
});

describe('uploader IAM role', () => {
  const principalArn = 'arn:aws:iam::111122223333:role/hardened-eks/kube-bench';
  let identityPolicies: any[];
  let groupName: string;
  beforeAll(() => {
    const roleId = logicalIdOf(fixture.schedule.serviceAccount.role.node.defaultChild!.node.scope as any);
    const policies = resourcesOfType('AWS::IAM::Policy').filter(([, p]) =>
      p.Properties.Roles.some((r: any) => r.Ref === roleId),
    );
    groupName = 'KubeBenchTest-KubeBenchReports-abc123';
    identityPolicies = policies.map(([, p]) =>
      resolveIntrinsics(p.Properties.PolicyDocument, { [logicalIdOf(fixture.schedule.logGroup)]: groupName }),
    );
    expect(template.Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    expect(template.Resources[roleId].Properties.Policies).toBeUndefined();
  });
  const groupArn = (name: string) => `arn:aws:logs:eu-west-1:111122223333:log-group:${name}`;
  const ask = (action: string, resourceArn: string) =>
    decide({ identityPolicies }, { principalArn, action, resourceArn });

  test('may create a log stream and put events in its report group', async () => {
    expect(
      await ask('logs:CreateLogStream', `${groupArn(groupName)}:log-stream:ip-10-0-1-2.ec2.internal/kube-bench-1-x`),
    ).toBe('Allowed');
    expect(
      await ask('logs:PutLogEvents', `${groupArn(groupName)}:log-stream:ip-10-0-1-2.ec2.internal/kube-bench-1-x`),
    ).toBe('Allowed');
  });

  test.each([
    ['logs:PutLogEvents', `${groupArn('/aws/eks/other/cluster')}:log-stream:kube-apiserver-1`],
    ['logs:CreateLogStream', `${groupArn('KubeBenchTest-KubeBenchReports-abc123-other')}:log-stream:x`],
    ['logs:DeleteLogGroup', groupArn('KubeBenchTest-KubeBenchReports-abc123')],
    ['logs:GetLogEvents', `${groupArn('KubeBenchTest-KubeBenchReports-abc123')}:log-stream:x`],
    ['logs:PutRetentionPolicy', groupArn('KubeBenchTest-KubeBenchReports-abc123')],
    ['s3:GetObject', 'arn:aws:s3:::any-bucket/any-key'],
    ['eks:DescribeCluster', 'arn:aws:eks:eu-west-1:111122223333:cluster/any'],
  ])('may not %s on %s', async (action, resource) => {
    expect(await ask(action, resource)).toBe('ImplicitlyDenied');
  });

  test('its trust is scoped to kube-system/kube-bench and the STS audience (IDN-2)', () => {
    const roleId = logicalIdOf(fixture.schedule.serviceAccount.role.node.defaultChild!.node.scope as any);
    const [evaluation] = evaluateResource(new TemplateModel(template), roleId, [IrsaTrustScoped]);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.status).toBe('pass');
    const [statement] = template.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
    const conditions = JSON.stringify(
      template.Resources[statement.Condition.StringEquals['Fn::GetAtt'][0]].Properties.Value,
    );
    expect(conditions).toContain('system:serviceaccount:kube-system:kube-bench');
    expect(conditions).toContain(':aud\\":\\"sts.amazonaws.com');
  });
});

describe('report log group, metrics and alarms', () => {
  test('the log group is encrypted with the given key and keeps reports for the given retention', () => {
    const [[, group]] = resourcesOfType('AWS::Logs::LogGroup');
    expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [resourcesOfType('AWS::KMS::Key')[0][0], 'Arn'] });
    expect(group.Properties.RetentionInDays).toBe(365);
  });

  test('metric filters: failed checks from total_fail and one report per event, per cluster', () => {
    const filters = resourcesOfType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    expect(filters).toHaveLength(2);
    for (const f of filters) {
      expect(f.FilterPattern).toBe('{ ($.report.Totals.total_fail >= 0) && ($.clusterName = "*") }');
      expect(f.LogGroupName).toEqual({ Ref: logicalIdOf(fixture.schedule.logGroup) });
    }
    expect(filters.map((f) => f.MetricTransformations)).toEqual(
      expect.arrayContaining([
        [
          {
            MetricNamespace: KUBE_BENCH_METRIC_NAMESPACE,
            MetricName: 'FailedChecks',
            MetricValue: '$.report.Totals.total_fail',
            Dimensions: [{ Key: 'ClusterName', Value: '$.clusterName' }],
            Unit: 'Count',
          },
        ],
        [
          {
            MetricNamespace: KUBE_BENCH_METRIC_NAMESPACE,
            MetricName: 'Reports',
            MetricValue: '1',
            Dimensions: [{ Key: 'ClusterName', Value: '$.clusterName' }],
            Unit: 'Count',
          },
        ],
      ]),
    );
  });

  /** What both alarms share: the kube-bench metrics of this cluster, and the topic told on alarm and on OK. */
  const clusterAlarmToTopic = () => {
    const topic = { Ref: logicalIdOf(fixture.topic) };
    return {
      Namespace: KUBE_BENCH_METRIC_NAMESPACE,
      Dimensions: [{ Name: 'ClusterName', Value: { Ref: logicalIdOf(fixture.cluster) } }],
      AlarmActions: [topic],
      OKActions: [topic],
    };
  };

  test('failed checks alarm the topic, and a clean report sets it back to OK', () => {
    const alarm = template.Resources[logicalIdOf(fixture.schedule.failedChecksAlarm)].Properties;
    expect(alarm).toMatchObject({
      ...clusterAlarmToTopic(),
      MetricName: 'FailedChecks',
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
    });
  });

  test('no report for 26 hours alarms the topic: missing data is breaching', () => {
    const alarm = template.Resources[logicalIdOf(fixture.schedule.staleReportsAlarm)].Properties;
    expect(alarm).toMatchObject({
      ...clusterAlarmToTopic(),
      MetricName: 'Reports',
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      TreatMissingData: 'breaching',
    });
    // CloudWatch limit for periods of an hour or more: Period x EvaluationPeriods <= 7 days.
    expect(alarm.Period * alarm.EvaluationPeriods).toBeLessThanOrEqual(604800);
  });
});

describe('rule packs', () => {
  test('DET-1 (kube-bench scheduled and alarmed) passes on the cluster', () => {
    const [evaluation] = evaluateResource(new TemplateModel(template), logicalIdOf(fixture.cluster), [
      KubeBenchScheduled,
    ]);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.status).toBe('pass');
  });

  test('cdk-nag AwsSolutions has no unacknowledged finding on the construct', () => {
    expect(nagFindingsUnder(fixture.stack, `${fixture.stack.stackName}/KubeBench/`)).toEqual([]);
  });
});

describe('props validation', () => {
  let cluster: eks.Cluster;
  let base: KubeBenchScheduleProps;
  let stack: Stack;
  beforeAll(() => {
    stack = new Stack(projectApp(), 'Validation');
    cluster = new eks.Cluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.V1_33,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Layer') },
    });
    base = {
      cluster,
      kubeBenchImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror:kube-bench-v0.15.0',
      awsCliImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror:aws-cli-2.27.0',
      benchmark: 'eks-1.8.0',
      logKey: new kms.Key(stack, 'Key'),
      logRetention: logs.RetentionDays.ONE_YEAR,
      alarmTopic: new sns.Topic(stack, 'Topic'),
    };
  });
  let n = 0;
  const build = (overrides: Partial<KubeBenchScheduleProps>) => () =>
    new KubeBenchSchedule(stack, `Case${n++}`, { ...base, ...overrides });

  test.each([
    [
      { kubeBenchImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror:latest' },
      /kubeBenchImage .* must pin a tag/,
    ],
    [{ awsCliImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/aws-cli' }, /awsCliImage .* must pin a tag/],
    [{ awsCliImage: 'localhost:5000/aws-cli' }, /awsCliImage .* must pin a tag/],
    [{ benchmark: 'cis-1.9' }, /not a kube-bench CIS Amazon EKS benchmark id/],
    [{ schedule: '0 3 * * 1' }, /must be a five-field cron expression that runs every day/],
    [{ schedule: '@daily' }, /must be a five-field cron expression/],
  ])('rejects %j', (overrides, message) => {
    expect(build(overrides)).toThrow(message);
  });

  test('accepts a digest-pinned image and an hourly schedule; in an environment-agnostic stack too, no unacknowledged cdk-nag finding', () => {
    const id = `Case${n}`;
    expect(
      build({
        kubeBenchImage: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/kube-bench@sha256:${'a'.repeat(64)}`,
        schedule: '5 */6 * * *',
      }),
    ).not.toThrow();
    expect(nagFindingsUnder(stack, `Validation/${id}/`)).toEqual([]);
  });
});

describe('uploader script', () => {
  const shells = ['sh', 'bash', 'dash'].filter((s) => spawnSync('sh', ['-c', `command -v ${s}`]).status === 0);

  test.each(shells)('%s -n accepts it', (shell) => {
    const result = spawnSync(shell, ['-n', '-c', UPLOAD_SCRIPT], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  /** Runs the script against a report file with a fake `aws` that records each call and the file:// inputs. */
  function runScript(shell: string, report: string | undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-bench-upload-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const calls = path.join(dir, 'calls.jsonl');
    fs.writeFileSync(
      path.join(bin, 'aws'),
      `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
const inputs = Object.fromEntries(args.filter((a) => a.startsWith('file://')).map((a) => [a, fs.readFileSync(a.slice(7), 'utf8')]));
fs.appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args, inputs }) + '\\n');
`,
      { mode: 0o755 },
    );
    const reportPath = path.join(dir, 'report.json');
    if (report !== undefined) fs.writeFileSync(reportPath, report);
    const script = UPLOAD_SCRIPT.replaceAll('/results/report.json', reportPath).replaceAll(
      '/tmp/events.json',
      path.join(dir, 'events.json'),
    );
    expect(script).not.toContain('/results/');
    // stdin not a socket: bash would otherwise take itself for an rsh session and read ~/.bashrc.
    const result = spawnSync(shell, ['-c', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        LOG_GROUP_NAME: 'KubeBenchTest-KubeBenchReports-abc123',
        CLUSTER_NAME: 'hardened-eks-1',
        NODE_NAME: 'ip-10-0-1-2.ec2.internal',
        POD_NAME: 'kube-bench-29000000-x7k2q',
      },
    });
    const recorded = fs.existsSync(calls)
      ? fs
          .readFileSync(calls, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
    return { result, calls: recorded as { args: string[]; inputs: Record<string, string> }[] };
  }

  test.each(shells)(
    '%s: creates a stream named after node and pod, and puts the report as one JSON log event',
    (shell) => {
      const before = Date.now();
      const { result, calls } = runScript(shell, reportFileText());
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(calls.map((c) => c.args.slice(0, 2))).toEqual([
        ['logs', 'create-log-stream'],
        ['logs', 'put-log-events'],
      ]);
      const stream = [
        '--log-group-name',
        'KubeBenchTest-KubeBenchReports-abc123',
        '--log-stream-name',
        'ip-10-0-1-2.ec2.internal/kube-bench-29000000-x7k2q',
      ];
      expect(calls[0].args.slice(2)).toEqual(stream);
      expect(calls[1].args.slice(2, 6)).toEqual(stream);
      expect(calls[1].args[6]).toBe('--log-events');
      const eventsFile = calls[1].args[7] ?? '';
      expect(eventsFile).toMatch(/^file:\/\//);
      const events = JSON.parse(calls[1].inputs[eventsFile] ?? 'missing file:// input');
      expect(events).toHaveLength(1);
      expect(Object.keys(events[0]).sort()).toEqual(['message', 'timestamp']);
      expect(events[0].timestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(events[0].timestamp).toBeLessThanOrEqual(Date.now());
      expect(typeof events[0].message).toBe('string');
      const message = JSON.parse(events[0].message);
      expect(message).toEqual({
        clusterName: 'hardened-eks-1',
        nodeName: 'ip-10-0-1-2.ec2.internal',
        report: SAMPLE_REPORT,
      });
      // What the metric filters read.
      expect(message.report.Totals.total_fail).toBe(1);
    },
  );

  test.each(shells)('%s: fails without calling AWS when kube-bench wrote no report', (shell) => {
    const { result, calls } = runScript(shell, undefined);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('kube-bench wrote no report');
    expect(calls).toEqual([]);
  });
});
