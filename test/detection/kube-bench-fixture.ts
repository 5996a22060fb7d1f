import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { KubeBenchSchedule, KubeBenchScheduleProps } from '../../lib/detection/kube-bench-schedule';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import { PSEUDO_PARAMETERS } from '../support/intrinsics';
import { projectContext } from '../support/project-app';

/** An App with the project's feature flags (e.g. the native OIDC provider the product uses), without its catalog configuration. */
export function projectApp(): App {
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  return new App({ context });
}

export interface KubeBenchFixture {
  readonly stack: Stack;
  readonly cluster: eks.Cluster;
  readonly topic: sns.Topic;
  readonly schedule: KubeBenchSchedule;
  readonly template: Record<string, any>;
}

/**
 * A stack with a plain eks-v2 cluster, an alarm topic, a logs key, a private repository and a KubeBenchSchedule whose
 * images are `${repositoryUri}:<tag>` tokens (as the product passes them). Synthesizes once: call from beforeAll.
 */
export function kubeBenchFixture(overrides: Partial<KubeBenchScheduleProps> = {}): KubeBenchFixture {
  const app = projectApp();
  const stack = new Stack(app, 'KubeBenchTest', {
    env: { account: PSEUDO_PARAMETERS['AWS::AccountId'], region: PSEUDO_PARAMETERS['AWS::Region'] },
  });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33,
    kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'KubectlLayer') },
  });
  const topic = new sns.Topic(stack, 'Alarms');
  const repository = new ecr.Repository(stack, 'Images', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
  const schedule = new KubeBenchSchedule(stack, 'KubeBench', {
    cluster,
    kubeBenchImage: `${repository.repositoryUri}:kube-bench-v0.15.0`,
    awsCliImage: `${repository.repositoryUri}:aws-cli-2.27.0`,
    benchmark: 'eks-1.8.0',
    logKey: new kms.Key(stack, 'LogsKey', { enableKeyRotation: true }),
    logRetention: logs.RetentionDays.ONE_YEAR,
    alarmTopic: topic,
    ...overrides,
  });
  const template = app.synth().getStackByName(stack.stackName).template;
  return { stack, cluster, topic, schedule, template };
}

/** A kube-bench `run --targets node --json` report (shape of kube-bench's JSON output), with characters that need escaping. */
export const SAMPLE_REPORT = {
  Controls: [
    {
      id: '3',
      version: 'eks-1.8.0',
      detected_version: '',
      text: 'Worker Nodes',
      node_type: 'node',
      tests: [
        {
          section: '3.2',
          type: '',
          pass: 1,
          fail: 1,
          warn: 0,
          info: 0,
          desc: 'Kubelet',
          results: [
            {
              test_number: '3.2.1',
              test_desc: 'Ensure that the Anonymous Auth is Not Enabled (Automated)',
              audit: '/bin/ps -fC kubelet',
              AuditConfig: '/bin/cat /etc/kubernetes/kubelet/config.json',
              remediation:
                'Disable Anonymous Authentication by setting the following parameter:\n"authentication": { "anonymous": { "enabled": false } }\n',
              status: 'PASS',
              actual_value: '{"authentication":{"anonymous":{"enabled":false}}}',
              scored: true,
              expected_result: "'{.authentication.anonymous.enabled}' is equal to 'false'",
            },
            {
              test_number: '3.2.4',
              test_desc: 'Ensure that the --read-only-port is disabled (Automated)',
              audit: '/bin/ps -fC kubelet',
              AuditConfig: '/bin/cat /etc/kubernetes/kubelet/config.json',
              remediation:
                'Set "readOnlyPort": 0 in C:\\path\\with\\backslashes\tand a tab, 100% sure, <html> & $HOME `x`\n',
              status: 'FAIL',
              actual_value: 'readOnlyPort: 10255',
              scored: true,
              expected_result: "'{.readOnlyPort}' is equal to '0'",
            },
          ],
        },
      ],
      total_pass: 1,
      total_fail: 1,
      total_warn: 0,
      total_info: 0,
    },
  ],
  Totals: { total_pass: 1, total_fail: 1, total_warn: 0, total_info: 0 },
};

/** The report as kube-bench writes it: Go's json.Marshal (compact, <>& escaped) plus the newline Fprintln adds. */
export function reportFileText(report: unknown = SAMPLE_REPORT): string {
  return `${JSON.stringify(report).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}\n`;
}
