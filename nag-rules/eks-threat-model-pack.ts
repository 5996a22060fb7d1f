import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { evaluateResource, Evaluation, rulesForType } from './core/evaluate';
import { PACK_NAME, ThreatModelRule } from './core/rule';
import { TemplateModel } from './core/template-model';
import { acknowledgementOf, Exemption } from './exemptions/register';
import { ALL_RULES } from './rules';
import { withRetentionFloor } from './rules/detection/evidence-retention';

/** One rule's outcome on one construct, as the reports show it. */
export interface RecordedEvaluation extends Evaluation {
  readonly stackName: string;
  readonly constructPath: string;
  /** Set when the finding is acknowledged (an approved exemption): the acknowledgement's reason. */
  readonly acknowledged?: string;
  /** The exemption register's entry that acknowledges the finding. */
  readonly exemption?: Exemption;
}

export interface EksThreatModelPackProps extends NagPackProps {
  /** The rules to run. @default every rule of the pack */
  readonly rules?: readonly ThreatModelRule[];
  /**
   * The days evidence must last (DET-7): the floor of every log group's retention and every bucket's Object Lock default
   * retention and lifecycle expiration. @default 90
   */
  readonly evidenceRetentionDays?: number;
  /**
   * Called after each validation of a synth (the CDK plugin path, not `validateScope`) with everything the pack
   * saw and the cloud assembly directory, e.g. to write reports there; runs whether or not the synth fails.
   */
  readonly onValidated?: (evaluations: readonly RecordedEvaluation[], outdir: string) => void;
}

/**
 * The EKS threat-model pack: one rule per checkable control of the controls matrix, reading CloudFormation (L1)
 * properties so it judges any template, following references between resources and parsing the Kubernetes
 * objects the template applies. Rule IDs are `EksThreatModel-<control ID>`.
 */
export class EksThreatModelChecks extends NagPack {
  public readonly name = PACK_NAME;
  /** What the last validation saw, for reports. */
  public evaluations: RecordedEvaluation[] = [];
  private readonly rules: readonly ThreatModelRule[];
  private readonly onValidated?: EksThreatModelPackProps['onValidated'];
  private models = new Map<Stack, TemplateModel>();
  /** The cloud assembly of the synth being validated (plugin path only). */
  private outdir?: string;

  constructor(scope?: IConstruct, props: EksThreatModelPackProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.rules = withRetentionFloor(props.rules ?? ALL_RULES, props.evidenceRetentionDays);
    this.onValidated = props.onValidated;
  }

  public override validate(...args: Parameters<NagPack['validate']>): ReturnType<NagPack['validate']> {
    const [context] = args;
    // The templates are already on disk: reading them costs less than rendering each stack again.
    this.outdir = context.templatePaths.length > 0 ? path.dirname(context.templatePaths[0]) : undefined;
    let report: ReturnType<NagPack['validate']>;
    try {
      report = super.validate(...args);
    } finally {
      this.outdir = undefined;
    }
    if (this.onValidated && context.templatePaths.length > 0)
      this.onValidated(this.evaluations, path.dirname(context.templatePaths[0]));
    return report;
  }

  public override validateScope(scope: IConstruct): ReturnType<NagPack['validateScope']> {
    this.reset();
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    const rules = rulesForType(this.rules, node.cfnResourceType);
    if (rules.length === 0) return;
    const stack = Stack.of(node);
    const logicalId = stack.resolve(node.logicalId) as string;
    for (const evaluation of evaluateResource(this.modelOf(stack), logicalId, rules)) {
      const rule = rules.find((r) => r.controlId === evaluation.controlId)!;
      const acknowledgement = evaluation.status === 'fail' ? acknowledgementOf(node, evaluation.ruleId) : undefined;
      const unregistered = acknowledgement !== undefined && acknowledgement.exemption === undefined;
      this.evaluations.push({
        ...evaluation,
        stackName: stack.stackName,
        constructPath: node.node.path,
        acknowledged: unregistered ? undefined : acknowledgement?.reason,
        ...(acknowledgement?.exemption ? { exemption: acknowledgement.exemption } : {}),
      });
      if (unregistered) {
        // Nothing is waived silently: an acknowledgement that did not come from the exemption register is a finding.
        this.applyRule({
          ruleSuffixOverride: `${rule.controlId}-Unregistered`,
          info: `[XM, ${rule.threats.join(', ')}] ${evaluation.ruleId} is acknowledged outside the exemption register (nag-rules/exemptions.yaml): ${evaluation.findings.map((f) => f.message).join('; ')}`,
          explanation: 'Only an SME-approved entry of the exemption register may waive a control of the threat model.',
          level: NagMessageLevel.ERROR,
          node,
          rule: () => NagRuleCompliance.NON_COMPLIANT,
        });
      }
      if (evaluation.status === 'not-applicable') continue;
      this.applyRule({
        ruleSuffixOverride: rule.controlId,
        info: `[${rule.threats.join(', ')}] ${rule.description}${evaluation.status === 'fail' ? ` — ${evaluation.findings.map((f) => f.message).join('; ')}` : ''}`,
        explanation: rule.explanation,
        level: rule.level === 'error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: () => (evaluation.status === 'fail' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT),
      });
    }
  }

  private reset(): void {
    this.evaluations = [];
    this.models = new Map();
  }

  private modelOf(stack: Stack): TemplateModel {
    let model = this.models.get(stack);
    if (!model) {
      const file = this.outdir ? path.join(this.outdir, stack.templateFile) : undefined;
      model = new TemplateModel(
        file && fs.existsSync(file)
          ? JSON.parse(fs.readFileSync(file, 'utf8'))
          : (stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation(),
      );
      this.models.set(stack, model);
    }
    return model;
  }
}
