import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * cdk-nag AwsSolutions on a scope: its unacknowledged findings, each as "rule: logical IDs" (an empty list when there
 * is none), and whether the plugin reports success.
 */
export function awsSolutionsReport(scope: IConstruct): { findings: string[]; success: boolean } {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return {
    findings: report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
    ),
    success: report.success,
  };
}
