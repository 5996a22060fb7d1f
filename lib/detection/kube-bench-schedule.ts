import { ArnFormat, AssumptionError, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { lit } from 'aws-cdk-lib/core/lib/helpers-internal';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as path from 'path';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { ConstructValidationError } from '../errors/construct-validation-error';

/** Name of the CronJob (and of its service account) in the cluster. */
export const KUBE_BENCH_CRONJOB_NAME = 'kube-bench';
/** CloudWatch namespace of the metrics the report log group's filters publish. */
export const KUBE_BENCH_METRIC_NAMESPACE = 'HardenedEks/KubeBench';
/** Host folders kube-bench reads on the node, as in kube-bench's own job-eks.yaml; all mounted read-only. */
export const KUBE_BENCH_HOST_PATHS = ['/var/lib/kubelet', '/etc/systemd', '/etc/kubernetes'] as const;

const RESULTS_DIR = '/results';
const REPORT_FILE = `${RESULTS_DIR}/report.json`;
const STALE_AFTER_HOURS = 26;

/**
 * The uploader container's script, `kube-bench-schedule/upload-report.sh`, as `/bin/sh -c` runs it: without the file's
 * leading comment block (shebang and notes for readers and shellcheck) and its final line break.
 */
export const UPLOAD_SCRIPT = withoutLeadingComments(
  fs.readFileSync(path.join(__dirname, 'kube-bench-schedule', 'upload-report.sh'), 'utf8'),
);

export interface KubeBenchScheduleProps {
  /** The cluster the CronJob runs in (its OIDC provider backs the uploader's IRSA role). */
  readonly cluster: eks.Cluster;
  /**
   * Namespace of the CronJob and its service account. kube-bench needs hostPID, which the workload namespaces' Pod
   * Security "restricted" level forbids; kube-system is a system namespace outside that policy.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /** kube-bench image from the product's private ECR repository, tag or digest pinned (never `:latest`), e.g. `${repositoryUri}:v0.15.0`. */
  readonly kubeBenchImage: string;
  /** AWS CLI v2 image from the product's private ECR repository, tag or digest pinned (never `:latest`); needs /bin/sh, sed, tr and date. */
  readonly awsCliImage: string;
  /** kube-bench benchmark id of the CIS Amazon EKS Benchmark, e.g. 'eks-1.8.0' (the newest in kube-bench's cfg/); the image must ship it. */
  readonly benchmark: string;
  /**
   * Five-field cron schedule (UTC). It must run every day (day-of-month, month and day-of-week `*`), since a missing
   * report for 26 hours raises the staleness alarm.
   * @default '17 3 * * *' (daily at 03:17 UTC)
   */
  readonly schedule?: string;
  /** Key of the report log group (its policy must admit CloudWatch Logs of this region). */
  readonly logKey: kms.IKey;
  /** Retention of the report log group. */
  readonly logRetention: logs.RetentionDays;
  /** Topic the failure and staleness alarms notify (on ALARM and on OK). */
  readonly alarmTopic: sns.ITopic;
}

/**
 * CC-DET: runs kube-bench's CIS Amazon EKS Benchmark node checks on a schedule as a CronJob, sends each JSON report to
 * a KMS-encrypted log group through an IRSA role that may only write there, and alarms on failed checks and on a
 * detector that stopped reporting. Each run checks the one node its pod lands on.
 */
export class KubeBenchSchedule extends Construct {
  readonly cronJobName = KUBE_BENCH_CRONJOB_NAME;
  readonly namespace: string;
  readonly logGroup: logs.LogGroup;
  readonly serviceAccount: eks.ServiceAccount;
  /** The KubernetesManifest applying only the CronJob: the one resource exemptions for K8S-4 and K8S-10 target. */
  readonly cronJobManifest: eks.KubernetesManifest;
  readonly failedChecksFilter: logs.MetricFilter;
  readonly reportsFilter: logs.MetricFilter;
  /** ALARM when the last report has at least one failed check; OK when a later report has none. */
  readonly failedChecksAlarm: cloudwatch.Alarm;
  /** ALARM when no report arrived for 26 hours (missing data counts as breaching). */
  readonly staleReportsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: KubeBenchScheduleProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'kube-system';
    const schedule = props.schedule ?? '17 3 * * *';
    validateImage(this, props.kubeBenchImage, 'kubeBenchImage');
    validateImage(this, props.awsCliImage, 'awsCliImage');
    if (!/^eks-\d+\.\d+(\.\d+)?$/.test(props.benchmark))
      throw new ConstructValidationError(
        this,
        'benchmark',
        `'${props.benchmark}' is not a kube-bench CIS Amazon EKS benchmark id like eks-1.8.0`,
      );
    validateDailySchedule(this, schedule);
    const { cluster } = props;

    this.logGroup = new logs.LogGroup(this, 'Reports', { encryptionKey: props.logKey, retention: props.logRetention });

    this.serviceAccount = new eks.ServiceAccount(this, 'ServiceAccount', {
      cluster,
      name: KUBE_BENCH_CRONJOB_NAME,
      namespace: this.namespace,
    });
    this.withoutTokenAutomount(cluster);
    const stack = Stack.of(this);
    const groupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: this.logGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Both actions authorize on the log-stream ARN (service authorization reference), so the group's streams are enough.
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteKubeBenchReports',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${groupArn}:log-stream:*`],
      }),
    );
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledge(
      this.serviceAccount.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:<${logicalIdOf(this.logGroup)}>:log-stream:*]`,
      'The uploader creates one log stream per run (named after node and pod) in the kube-bench report group, and only there.',
    );

    // Under this construct, not the cluster, so the register's exemptions for the CronJob name it by a stable path.
    this.cronJobManifest = new eks.KubernetesManifest(this, 'CronJob', {
      cluster,
      manifest: [this.cronJob(props, schedule, stack)],
    });
    this.cronJobManifest.node.addDependency(this.serviceAccount);

    const pattern = logs.FilterPattern.all(
      logs.FilterPattern.numberValue('$.report.Totals.total_fail', '>=', 0),
      logs.FilterPattern.exists('$.clusterName'),
    );
    const dimensions = { ClusterName: '$.clusterName' };
    this.failedChecksFilter = this.logGroup.addMetricFilter('FailedChecks', {
      filterPattern: pattern,
      metricNamespace: KUBE_BENCH_METRIC_NAMESPACE,
      metricName: 'FailedChecks',
      metricValue: '$.report.Totals.total_fail',
      dimensions,
      unit: cloudwatch.Unit.COUNT,
    });
    this.reportsFilter = this.logGroup.addMetricFilter('ReportsReceived', {
      filterPattern: pattern,
      metricNamespace: KUBE_BENCH_METRIC_NAMESPACE,
      metricName: 'Reports',
      metricValue: '1',
      dimensions,
      unit: cloudwatch.Unit.COUNT,
    });
    const dimensionsMap = { ClusterName: cluster.clusterName };

    // Missing data keeps the state: the alarm reflects the last report until the next one, not the empty hours between runs.
    this.failedChecksAlarm = new cloudwatch.Alarm(this, 'FailedChecksAlarm', {
      alarmDescription: `kube-bench (${props.benchmark}, CIS Amazon EKS Benchmark) reported failed node checks; see the report in log group ${this.logGroup.logGroupName}.`,
      metric: this.failedChecksFilter.metric({
        dimensionsMap,
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.staleReportsAlarm = new cloudwatch.Alarm(this, 'StaleReportsAlarm', {
      alarmDescription: `No kube-bench report arrived in ${STALE_AFTER_HOURS} hours: the CronJob ${this.namespace}/${KUBE_BENCH_CRONJOB_NAME} is not running or cannot upload.`,
      metric: this.reportsFilter.metric({ dimensionsMap, statistic: cloudwatch.Stats.SUM, period: Duration.hours(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: STALE_AFTER_HOURS,
      datapointsToAlarm: STALE_AFTER_HOURS,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    for (const alarm of [this.failedChecksAlarm, this.staleReportsAlarm]) {
      alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      alarm.addOkAction(new actions.SnsAction(props.alarmTopic));
    }
  }

  /**
   * eks-v2's ServiceAccount has no automountServiceAccountToken option, so its manifest is replaced by the same object
   * with the option off. The IRSA webhook still projects its own sts.amazonaws.com token into the pod.
   */
  private withoutTokenAutomount(cluster: eks.Cluster): void {
    const manifest = this.serviceAccount.node.children.find(
      (c): c is eks.KubernetesManifest => c instanceof eks.KubernetesManifest,
    );
    if (!manifest)
      throw new AssumptionError(
        lit`ServiceAccountManifestMissing`,
        'eks.ServiceAccount no longer creates a KubernetesManifest child: revisit KubeBenchSchedule',
      );
    // Same label KubernetesManifest injects for pruning (aws.cdk.eks/prune-<address>), which the override would otherwise drop.
    const pruneLabels = cluster.prune ? { [`aws.cdk.eks/prune-${manifest.node.addr}`]: '' } : {};
    const object = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: this.serviceAccount.serviceAccountName,
        namespace: this.serviceAccount.serviceAccountNamespace,
        labels: { ...pruneLabels, 'app.kubernetes.io/name': this.serviceAccount.serviceAccountName },
        annotations: { 'eks.amazonaws.com/role-arn': this.serviceAccount.role.roleArn },
      },
      automountServiceAccountToken: false,
    };
    (manifest.node.defaultChild as CfnResource).addPropertyOverride('Manifest', Stack.of(this).toJsonString([object]));
  }

  private cronJob(props: KubeBenchScheduleProps, schedule: string, stack: Stack): Record<string, unknown> {
    const labels = { 'app.kubernetes.io/name': 'kube-bench', 'app.kubernetes.io/component': 'cis-benchmark' };
    const hostVolumes = KUBE_BENCH_HOST_PATHS.map((path) => ({ name: path.slice(1).replace(/\//g, '-'), path }));
    const dropAll = {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    };
    const kubeBench = {
      name: 'kube-bench',
      image: props.kubeBenchImage,
      imagePullPolicy: 'IfNotPresent',
      command: [
        'kube-bench',
        'run',
        '--targets',
        'node',
        '--benchmark',
        props.benchmark,
        '--json',
        '--outputfile',
        REPORT_FILE,
      ],
      // Root without capabilities: the kubelet's files are root-owned (some 0600), readable by their owner without
      // CAP_DAC_OVERRIDE; a non-root user would turn those checks into false failures.
      securityContext: { ...dropAll, runAsUser: 0, runAsGroup: 0, runAsNonRoot: false },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      volumeMounts: [
        ...hostVolumes.map(({ name, path }) => ({ name, mountPath: path, readOnly: true })),
        { name: 'results', mountPath: RESULTS_DIR },
      ],
    };
    const uploader = {
      name: 'upload',
      image: props.awsCliImage,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', UPLOAD_SCRIPT],
      env: [
        { name: 'LOG_GROUP_NAME', value: this.logGroup.logGroupName },
        { name: 'CLUSTER_NAME', value: props.cluster.clusterName },
        { name: 'AWS_REGION', value: stack.region },
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        // The CLI caches web-identity credentials under $HOME; the root filesystem is read-only.
        { name: 'HOME', value: '/tmp' },
        { name: 'AWS_PAGER', value: '' },
      ],
      securityContext: { ...dropAll, runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true },
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      volumeMounts: [
        { name: 'results', mountPath: RESULTS_DIR, readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    return {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: KUBE_BENCH_CRONJOB_NAME, namespace: this.namespace, labels },
      spec: {
        schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 900,
            template: {
              // The IRSA webhook leaves kube-bench without AWS credentials: only the uploader gets the role.
              metadata: { labels, annotations: { 'eks.amazonaws.com/skip-containers': 'kube-bench' } },
              spec: {
                serviceAccountName: this.serviceAccount.serviceAccountName,
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                // kube-bench finds the kubelet and reads its flags through the host's process table.
                hostPID: true,
                hostNetwork: false,
                hostIPC: false,
                restartPolicy: 'Never',
                nodeSelector: { 'kubernetes.io/os': 'linux' },
                securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
                initContainers: [kubeBench],
                containers: [uploader],
                volumes: [
                  ...hostVolumes.map(({ name, path }) => ({ name, hostPath: { path, type: 'Directory' } })),
                  { name: 'results', emptyDir: { sizeLimit: '16Mi' } },
                  { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
                ],
              },
            },
          },
        },
      },
    };
  }
}

/** An image reference must pin a tag other than `latest`, or a digest. Tokens (e.g. a repository URI) may precede the tag. */
function validateImage(scope: Construct, image: string, prop: string): void {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  if (tag === '' || tag === 'latest' || tag.includes('${Token')) {
    throw new ConstructValidationError(scope, prop, `'${image}' must pin a tag other than latest (or a digest)`);
  }
}

function validateDailySchedule(scope: Construct, schedule: string): void {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || fields.slice(2).some((f) => f !== '*')) {
    throw new ConstructValidationError(
      scope,
      'schedule',
      `'${schedule}' must be a five-field cron expression that runs every day (day-of-month, month and day-of-week '*')`,
    );
  }
}

function withoutLeadingComments(script: string): string {
  const lines = script.trimEnd().split('\n');
  return lines.slice(lines.findIndex((line) => !line.startsWith('#'))).join('\n');
}
