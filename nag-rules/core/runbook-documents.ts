import { asArray, parseJsonDocument } from './intrinsics';
import { cachedReadFor } from './read-cache';
import { COMPLIANT, RuleFinding, RuleResult } from './rule';
import { isObject, TemplateModel, TemplateResource } from './template-model';
import { literal, why } from './values';
import { namesCluster } from './cluster-properties';
import { parseYaml } from './kubernetes-objects';

/*
 * Helpers of the response rules: the SSM Automation runbooks a template ships for a cluster, found by the tag that
 * names their incident-response step (IR-1..IR-6 of the threat model).
 */

export const DOCUMENT_TYPE = 'AWS::SSM::Document';
/** The tag whose value names the IR step a runbook carries out. */
export const RUNBOOK_TAG = 'hardened-eks:runbook';
/** The incident-response steps of the threat model, each with runbooks of its own. */
export const IR_IDS: readonly string[] = ['IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6'];

export interface RunbookDocument {
  readonly logicalId: string;
  readonly resource: TemplateResource;
  /** The Automation content (intrinsics left as they are). */
  readonly content: Record<string, any>;
  /** The content as JSON text, to look for API names inside scripts. */
  readonly text: string;
}

/** The IR IDs a document is tagged with, and tag values that are not literal. */
function runbookTags(resource: TemplateResource): { ids: string[]; unknown: string[] } {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const tag of asArray(resource.Properties?.Tags)) {
    if (!isObject(tag) || tag.Key !== RUNBOOK_TAG) continue;
    const value = literal(tag.Value);
    if (value.known && typeof value.value === 'string') ids.push(...value.value.split(/[\s,]+/).filter(Boolean));
    else unknown.push(value.known ? 'a non-string value' : value.because);
  }
  return { ids, unknown };
}

function parseContent(value: unknown): { ok: true; value: Record<string, any> } | { ok: false; reason: string } {
  if (isObject(value) && !Object.keys(value).some((k) => k.startsWith('Fn::') || k === 'Ref'))
    return { ok: true, value };
  if (typeof value === 'string') {
    const json = parseJsonDocument(value);
    const parsed = json.ok ? json : parseYaml(value);
    if (parsed.ok && isObject(parsed.value)) return { ok: true, value: parsed.value };
    return { ok: false, reason: parsed.ok ? 'the content is not an object' : parsed.reason };
  }
  return { ok: false, reason: `the content is given by ${why(value)}` };
}

/** Whether a document belongs to the cluster: its content references the cluster, or its ClusterName parameter names it. */
function belongsToCluster(model: TemplateModel, clusterId: string, content: Record<string, any>): boolean {
  if (model.referencedIds(content).includes(clusterId)) return true;
  const parameter = isObject(content.parameters) ? content.parameters.ClusterName : undefined;
  return isObject(parameter) && namesCluster(model, clusterId, parameter.default);
}

/** The runbooks of the template tagged with an IR ID and tied to the cluster, and findings for those that cannot be read. */
export function runbooksFor(
  model: TemplateModel,
  clusterId: string,
  irId: string,
): { documents: RunbookDocument[]; findings: RuleFinding[] } {
  const documents: RunbookDocument[] = [];
  const findings: RuleFinding[] = [];
  for (const [logicalId, resource] of model.resourcesOfType(DOCUMENT_TYPE)) {
    const tags = runbookTags(resource);
    if (!tags.ids.includes(irId)) {
      if (tags.unknown.length)
        findings.push({
          message: `the ${RUNBOOK_TAG} tag of ${logicalId} cannot be read at synth time (${tags.unknown[0]})`,
          unresolved: true,
        });
      continue;
    }
    const content = parseContent(resource.Properties?.Content);
    if (!content.ok) {
      findings.push({
        message: `the content of runbook ${logicalId} (${irId}) cannot be read: ${content.reason}`,
        unresolved: true,
      });
      continue;
    }
    if (!belongsToCluster(model, clusterId, content.value)) continue;
    // Several rules ask for the runbooks of each IR step: a document's text is written once per template.
    const text = cachedReadFor('runbook-text', content.value, () => JSON.stringify(content.value));
    documents.push({ logicalId, resource, content: content.value, text });
  }
  return { documents, findings };
}

/** The steps of a runbook (objects only). */
export function stepsOf(document: RunbookDocument): Record<string, any>[] {
  return asArray(document.content.mainSteps).filter(isObject);
}

/** What makes a document a usable Automation runbook: type, schema version, a role to run as, steps. */
export function automationProblems(document: RunbookDocument): string[] {
  const problems: string[] = [];
  const type = literal(document.resource.Properties?.DocumentType);
  if (!type.known || type.value !== 'Automation')
    problems.push(
      `${document.logicalId} is not an Automation document (DocumentType ${type.known ? String(type.value) : 'unknown'})`,
    );
  if (document.content.schemaVersion !== '0.3')
    problems.push(`${document.logicalId} does not use Automation schemaVersion 0.3`);
  if (document.content.assumeRole === undefined)
    problems.push(`${document.logicalId} names no assumeRole, so it runs with the caller's own permissions`);
  const steps = stepsOf(document);
  if (steps.length === 0) problems.push(`${document.logicalId} has no mainSteps`);
  else if (steps.some((s) => typeof s.action !== 'string' || typeof s.name !== 'string'))
    problems.push(`${document.logicalId} has a step without a name or action`);
  return problems;
}

/** A value of a step input, with a `{{ Parameter }}` reference replaced by that parameter's default. */
export function resolveInput(document: RunbookDocument, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/.exec(value);
  const parameters = isObject(document.content.parameters) ? document.content.parameters : {};
  if (match && isObject(parameters[match[1]])) return parameters[match[1]].default;
  return value;
}

/** Lambda functions of the template a runbook invokes, and whether each runs inside a VPC. */
export function invokedFunctions(model: TemplateModel, document: RunbookDocument): { id: string; inVpc: boolean }[] {
  return stepsOf(document)
    .filter((s) => s.action === 'aws:invokeLambdaFunction' && isObject(s.inputs))
    .flatMap((s) => model.referencedIds(resolveInput(document, s.inputs.FunctionName)))
    .filter((id) => model.resource(id)?.Type === 'AWS::Lambda::Function')
    .map((id) => {
      const vpc = model.resource(id)?.Properties?.VpcConfig;
      return { id, inVpc: isObject(vpc) && asArray(vpc.SubnetIds).length > 0 };
    });
}

/** Whether the runbook reaches the Kubernetes API through a function of the template running inside the VPC. */
export function kubernetesCallProblems(model: TemplateModel, document: RunbookDocument): string[] {
  const functions = invokedFunctions(model, document);
  if (functions.some((f) => f.inVpc)) return [];
  if (functions.length)
    return [
      `${document.logicalId} invokes ${functions.map((f) => f.id).join(', ')}, which does not run inside the VPC, so it cannot reach the private API endpoint`,
    ];
  return [`${document.logicalId} invokes no Lambda function of the template to reach the Kubernetes API`];
}

/** A requirement one of the runbooks of an IR step must meet. */
export interface RunbookRequirement {
  /** What the runbook must do, for the finding when none does. */
  readonly does: string;
  /** Why a given runbook does not meet it (empty when it does). */
  problems(document: RunbookDocument): string[];
}

/**
 * Judges a cluster on one IR step: every requirement is met by some runbook tagged with the step, tied to the
 * cluster, that is a usable Automation document.
 */
export function judgeRunbooks(
  model: TemplateModel,
  clusterId: string,
  irId: string,
  requirements: readonly RunbookRequirement[],
): RuleResult {
  // Documents that cannot be read matter only when the readable ones fall short: they might be the missing runbook.
  const { documents, findings: unreadable } = runbooksFor(model, clusterId, irId);
  if (documents.length === 0) {
    return [
      ...unreadable,
      {
        message: `no SSM Automation runbook tagged ${RUNBOOK_TAG}=${irId} belongs to this cluster: nothing to ${requirements.map((r) => r.does).join(' or ')}`,
      },
    ];
  }
  const findings: RuleFinding[] = [];
  for (const requirement of requirements) {
    const problems = documents.map((d) => [...automationProblems(d), ...requirement.problems(d)]);
    if (problems.some((p) => p.length === 0)) continue;
    findings.push({
      message: `no ${irId} runbook is able to ${requirement.does}: ${problems.map((p) => p.join('; ')).join(' | ')}`,
    });
  }
  return findings.length ? [...unreadable, ...findings] : COMPLIANT;
}

/** Whether the content mentions an API (as executeAwsApi `Api`, or in a script by its boto3 name). */
export function mentionsApi(document: RunbookDocument, api: string): boolean {
  const snake = api.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return document.text.includes(api) || document.text.includes(snake);
}
