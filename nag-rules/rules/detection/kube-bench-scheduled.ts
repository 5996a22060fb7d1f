import { asArray, renderText } from '../../core/intrinsics';
import { CLUSTER_TYPES, objectsAppliedTo, objectsOf } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal } from '../../core/values';

/** DET-1: kube-bench runs on a schedule in the cluster and its failures raise an alarm (judged on the cluster). */
export const KubeBenchScheduled: ThreatModelRule = {
  controlId: 'DET-1',
  threats: ['TH-1', 'TH-2', 'EP-3', 'PE-2', 'LM-5'],
  level: 'warning',
  kind: 'missing-control',
  description:
    'The template applies to the cluster a CronJob running kube-bench (its image or command), and has a CloudWatch metric filter on ' +
    "kube-bench's failure count (a metric whose value is total_fail) that an alarm with actions watches, going off above 0",
  explanation:
    "CC-DET: the CIS Amazon EKS Benchmark checks the nodes' kubelet and file settings that no template shows (kubelet " +
    'authentication for EP-3, file permissions on the host for PE-2 and LM-5). A run nobody reads detects nothing, so failures ' +
    'must raise an alarm.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedTo(model, logicalId, 'whether kube-bench runs');
    const cronJobs = objects.map((o) => o.object).filter((o) => o.kind === 'CronJob');
    const runsKubeBench = cronJobs.some((job) => {
      if (job.spec?.suspend === true) return false;
      const spec = job.spec?.jobTemplate?.spec?.template?.spec;
      return [...objectsOf(spec?.containers), ...objectsOf(spec?.initContainers)].some(
        (c) =>
          (typeof c.image === 'string' && /kube-bench/.test(c.image)) ||
          (Array.isArray(c.command) && typeof c.command[0] === 'string' && /(^|\/)kube-bench$/.test(c.command[0])),
      );
    });
    const result: RuleFinding[] = [];
    if (!runsKubeBench)
      result.push({
        message: 'no CronJob of the cluster runs kube-bench (CIS Amazon EKS Benchmark), or it is suspended',
      });
    if (!failureAlarmed(model))
      result.push({
        message:
          'no alarm with actions goes off on one failed kube-bench check (a metric of total_fail, GreaterThanThreshold 0), so failed checks alert nobody',
      });
    if (result.length === 0) return COMPLIANT;
    return [...findings, ...result];
  },
};

/** Whether a metric filter counts kube-bench failures into a metric an alarm with actions watches. */
function failureAlarmed(model: TemplateModel): boolean {
  // The metric must count failures (its value is total_fail), not merely come from a filter that mentions it.
  const metrics = model
    .resourcesOfType('AWS::Logs::MetricFilter')
    .flatMap(([, f]) => asArray(f.Properties?.MetricTransformations).filter(isObject))
    .filter((t) => /total_fail/.test(renderText(t.MetricValue) ?? ''))
    .map((t) => `${renderText(t.MetricNamespace)}/${renderText(t.MetricName)}`);
  return model.resourcesOfType('AWS::CloudWatch::Alarm').some(([, alarm]) => {
    const props = alarm.Properties ?? {};
    const enabled = literal(props.ActionsEnabled);
    if (enabled.known && enabled.value === false) return false;
    return (
      asArray(props.AlarmActions).length > 0 &&
      metrics.includes(`${renderText(props.Namespace)}/${renderText(props.MetricName)}`) &&
      firesOnOneFailure(props.ComparisonOperator, props.Threshold)
    );
  });
}

/** Whether an alarm goes off as soon as one check fails: above 0, or at least 1. */
function firesOnOneFailure(operator: unknown, threshold: unknown): boolean {
  const op = literal(operator);
  const limit = literal(threshold);
  if (!op.known || !limit.known) return false;
  const value = Number(limit.value);
  return (
    (op.value === 'GreaterThanThreshold' && value === 0) ||
    (op.value === 'GreaterThanOrEqualToThreshold' && value <= 1 && value > 0)
  );
}
