/**
 * `eks-threat-model check --aws-solutions`: cdk-nag's AwsSolutions pack on a raw template. Only this file loads
 * aws-cdk-lib and cdk-nag, and the CLI requires it only for that option.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isObject } from '../core/template-model';
import type { AwsSolutionsFinding } from '../reports/findings';

/** `rules_to_suppress` of a resource's `cdk_nag` metadata (what cdk-nag writes into templates), by rule ID. */
export function templateAcknowledgements(resource: unknown): Map<string, string> {
  const rules =
    isObject(resource) && isObject(resource.Metadata) && isObject(resource.Metadata.cdk_nag)
      ? resource.Metadata.cdk_nag.rules_to_suppress
      : undefined;
  const found = new Map<string, string>();
  if (Array.isArray(rules)) {
    for (const rule of rules) {
      if (isObject(rule) && typeof rule.id === 'string')
        found.set(rule.id, typeof rule.reason === 'string' ? rule.reason : '');
    }
  }
  return found;
}

/**
 * CfnInclude builds EKS resources with `aws-cdk-lib/aws-eks-v2`'s L1 classes, but cdk-nag's EKS rules test
 * `instanceof` the `aws-cdk-lib/aws-eks` ones (the same generated L1s, duplicated in both modules), so they would
 * silently skip every included cluster. Re-point such resources to the `aws-eks` class of the same CloudFormation type.
 */
export function alignEksL1Classes(resource: CfnResource): void {
  if (!resource.cfnResourceType.startsWith('AWS::EKS::')) return;
  const l1: unknown = (eks as unknown as Record<string, unknown>)[
    `Cfn${resource.cfnResourceType.slice('AWS::EKS::'.length)}`
  ];
  if (typeof l1 !== 'function') return;
  const cls = l1 as (new (...args: never[]) => object) & { CFN_RESOURCE_TYPE_NAME?: string };
  if (cls.CFN_RESOURCE_TYPE_NAME === resource.cfnResourceType && !(resource instanceof cls))
    Object.setPrototypeOf(resource, cls.prototype);
}

/**
 * cdk-nag's AwsSolutions pack on a template: the template is loaded into a CDK app with `CfnInclude` and checked with
 * `validateScope`. Acknowledgements in the template's `cdk_nag` metadata are honoured.
 */
export function checkAwsSolutions(template: Record<string, any>): AwsSolutionsFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-threat-model-'));
  try {
    const templateFile = path.join(dir, 'template.json');
    fs.writeFileSync(templateFile, JSON.stringify(template));
    const stack = new Stack(new App({ outdir: path.join(dir, 'cdk.out') }), 'Checked');
    const include = new CfnInclude(stack, 'Template', { templateFile });
    const byPath = new Map<string, string>();
    for (const logicalId of Object.keys(template.Resources)) {
      const resource: CfnResource = include.getResource(logicalId);
      alignEksL1Classes(resource);
      byPath.set(resource.node.path, logicalId);
      for (const [id, reason] of templateAcknowledgements(template.Resources[logicalId])) {
        Validations.of(resource).acknowledge({ id, reason: reason || 'acknowledged in the template metadata' });
      }
    }
    const report = new AwsSolutionsChecks().validateScope(stack);
    return report.violations.flatMap((violation) =>
      violation.violatingResources.map((r) => ({
        ruleId: violation.ruleName,
        level:
          violation.severity === 'error' || violation.severity === 'fatal' ? ('error' as const) : ('warning' as const),
        logicalId: byPath.get(r.constructPath ?? '') ?? r.resourceLogicalId ?? r.constructPath ?? '?',
        message: violation.description,
      })),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
