import { resourceSpecFor, TemplateRejection, templateRejections } from '../core/cloudformation-spec';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import type { Exemption } from '../exemptions/register';
import type { TemplateInput } from './inputs';
import type { Profile } from './options';
import { loadTemplate, TemplateInputError } from './template-loader';

/** What every thread needs to check an input (plain data: it is copied to the workers). */
export interface InputContext {
  readonly exemptions: readonly Exemption[];
  /**
   * Return the parsed template too (for AwsSolutions and the security views): copying it back from a worker thread
   * costs more than parsing it.
   */
  readonly keepTemplate: boolean;
  /** Which rules run (`--profile`). */
  readonly profile: Profile;
  /** DET-7's floor (`--evidence-retention-days`), already checked. @default the rule's own */
  readonly evidenceRetentionDays?: number;
}

/** How `check` judges one loaded template (evaluate-file.ts's `evaluateTemplateFile`), in whichever thread loaded it. */
export type EvaluateFile = (template: Record<string, any>, name: string, context: InputContext) => RecordedEvaluation[];

/** A template loaded and judged. */
export interface CheckedInput {
  readonly file: string;
  readonly name: string;
  readonly evaluations: RecordedEvaluation[];
  /** What CloudFormation would reject in it; absent when the resource specification is not installed. */
  readonly rejections?: TemplateRejection[];
  readonly template?: Record<string, any>;
}

/** What one input gave: a checked template, a problem (one line naming the file), or a skipped non-template. */
export type InputOutcome = CheckedInput | { readonly problem: string } | { readonly skipped: string };

/** The beginning of the loader's reason for a document that is no CloudFormation template at all. */
const NOT_A_TEMPLATE = 'not a CloudFormation template';

/** Loads and judges one input: the unit of work of the threads of `check`. */
export function checkTemplateInput(input: TemplateInput, context: InputContext, evaluate: EvaluateFile): InputOutcome {
  let template: Record<string, any>;
  try {
    template = loadTemplate(input.file);
  } catch (error) {
    if (!(error instanceof TemplateInputError)) return { problem: `${input.given}: ${(error as Error).message}` };
    // A directory or a pattern also finds other JSON and YAML (a cloud assembly's manifest, tree.json): not errors.
    if (input.discovered && error.reason.startsWith(NOT_A_TEMPLATE)) return { skipped: input.given };
    return { problem: `${input.given}: ${error.reason}` };
  }
  const evaluations = evaluate(template, input.name, context);
  const spec = resourceSpecFor(
    Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type),
  );
  return {
    file: input.file,
    name: input.name,
    evaluations,
    ...(spec ? { rejections: templateRejections(template, spec) } : {}),
    ...(context.keepTemplate ? { template } : {}),
  };
}
