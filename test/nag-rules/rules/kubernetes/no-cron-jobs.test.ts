import { NoCronJobs } from '../../../../nag-rules/rules/kubernetes/no-cron-jobs';
import { failures, productTemplate } from '../../rule-harness';
import { messages } from '../../rule-findings';
import { checkManifest, cronJob, editManifestApplying, manifestIdOf, safeContainer } from './kubernetes-fixtures';

describe('K8S-10 NoCronJobs', () => {
  test('compliant: a one-off Job is not a CronJob', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'workloads' },
      spec: { template: { spec: { containers: [safeContainer()] } } },
    };
    expect(checkManifest(NoCronJobs, [job]).status).toBe('pass');
  });

  test('non-compliant: a CronJob', () => {
    const result = checkManifest(NoCronJobs, [cronJob({ containers: [safeContainer()] }, 'nightly')]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual(['CronJob workloads/nightly is applied (a CronJob starts pods on a schedule)']);
  });

  test('the real product fails only on its kube-bench CronJob (exempted in the register), and on any CronJob a manifest adds', () => {
    const template = productTemplate();
    const kubeBench = manifestIdOf(template, 'CronJob', 'kube-bench');
    expect(failures(NoCronJobs, template).map((e) => e.logicalId)).toEqual([kubeBench]);
    const id = editManifestApplying(template, { kind: 'NetworkPolicy' }, (objects) => [
      ...objects,
      cronJob({ containers: [safeContainer()] }),
    ]);
    const failed = failures(NoCronJobs, template).filter((e) => e.logicalId !== kubeBench);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/^CronJob workloads\/cj is applied/);
  });
});
