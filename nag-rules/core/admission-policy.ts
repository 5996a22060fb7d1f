import type { CelEnv } from '@bufbuild/cel';
import { isObject } from './template-model';

/*
 * What the API server does with ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) and their bindings on one
 * admission request, with the CEL expressions run by a CEL evaluator (@bufbuild/cel, conformance-tested against the
 * CEL specification). Covered: the policy's matchConstraints and the binding's matchResources (resourceRules with
 * subresources, resourceNames and scope, excludeResourceRules, namespaceSelector, objectSelector), matchConditions,
 * variables, validations, failurePolicy and the binding's validationActions. Not covered, reported as `unknown` when a
 * policy uses them: paramKind/paramRef (parameters live in other objects) and the `authorizer` variable (it asks the
 * cluster's authorizer). Kubernetes also type-checks expressions against the OpenAPI schema when the policy is created;
 * here an expression that does not fit the object fails at run time instead, which the failurePolicy then decides.
 */

export interface AdmissionUser {
  readonly username: string;
  readonly groups: readonly string[];
}

/** One admission request as the API server hands it to the policies (the `request` variable and the objects). */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** API group ('' for the core group), version and plural resource, as in a resourceRule. */
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  readonly kind: string;
  readonly name: string;
  /** Namespace of a namespaced object; undefined for a cluster-scoped one. */
  readonly namespace?: string;
  readonly userInfo: AdmissionUser;
  /** The object after the change (null for DELETE). */
  readonly object: Record<string, unknown> | null;
  /** The object before the change (null for CREATE). */
  readonly oldObject: Record<string, unknown> | null;
  /** The namespace the object lives in (its labels feed namespaceSelector). */
  readonly namespaceObject?: Record<string, unknown> | null;
}

export type AdmissionDecision =
  | { readonly outcome: 'allowed' }
  | { readonly outcome: 'denied'; readonly policy: string; readonly message: string }
  /** A policy that matches uses what this evaluator cannot run (parameters, the authorizer). */
  | { readonly outcome: 'unknown'; readonly policy: string; readonly reason: string };

const API_GROUP = 'admissionregistration.k8s.io';

export function isAdmissionPolicy(object: Record<string, any>): boolean {
  return (
    object.kind === 'ValidatingAdmissionPolicy' &&
    typeof object.apiVersion === 'string' &&
    object.apiVersion.startsWith(`${API_GROUP}/`)
  );
}

export function isAdmissionPolicyBinding(object: Record<string, any>): boolean {
  return (
    object.kind === 'ValidatingAdmissionPolicyBinding' &&
    typeof object.apiVersion === 'string' &&
    object.apiVersion.startsWith(`${API_GROUP}/`)
  );
}

/**
 * The API server's answer to a request, given the policies and bindings in the cluster: denied by the first binding
 * with a Deny action whose policy matches and fails (a failed or erroring validation, or an erroring match condition
 * under failurePolicy Fail); otherwise allowed.
 */
export function admit(objects: readonly Record<string, any>[], request: AdmissionRequest): AdmissionDecision {
  const policies = new Map(objects.filter(isAdmissionPolicy).map((p) => [String(p.metadata?.name), p]));
  for (const binding of objects.filter(isAdmissionPolicyBinding)) {
    const spec = isObject(binding.spec) ? binding.spec : {};
    const actions: unknown[] = Array.isArray(spec.validationActions) ? spec.validationActions : [];
    if (!actions.includes('Deny')) continue;
    // A binding whose policy does not exist enforces nothing.
    const policy = policies.get(String(spec.policyName));
    if (!policy) continue;
    const decision = evaluatePolicy(policy, binding, request);
    if (decision.outcome !== 'allowed') return decision;
  }
  return { outcome: 'allowed' };
}

function evaluatePolicy(
  policy: Record<string, any>,
  binding: Record<string, any>,
  request: AdmissionRequest,
): AdmissionDecision {
  const name = String(policy.metadata?.name);
  const spec = isObject(policy.spec) ? policy.spec : {};
  if (!isObject(spec.matchConstraints) || !matchesResources(spec.matchConstraints, request))
    return { outcome: 'allowed' };
  if (isObject(binding.spec?.matchResources) && !matchesResources(binding.spec.matchResources, request))
    return { outcome: 'allowed' };
  if (spec.paramKind !== undefined || binding.spec?.paramRef !== undefined) {
    return {
      outcome: 'unknown',
      policy: name,
      reason: `policy ${name} takes parameters (paramKind), which live in other objects`,
    };
  }
  const expressions = [...list(spec.matchConditions), ...list(spec.variables), ...list(spec.validations)].map((e) =>
    String(e.expression ?? ''),
  );
  if (expressions.some((e) => /\bauthorizer\b/.test(e))) {
    return {
      outcome: 'unknown',
      policy: name,
      reason: `policy ${name} asks the cluster's authorizer, which only the API server can answer`,
    };
  }
  const failClosed = spec.failurePolicy !== 'Ignore';
  const failure = (what: string, error: string): AdmissionDecision =>
    failClosed
      ? {
          outcome: 'denied',
          policy: name,
          message: `${what} of policy ${name} cannot be evaluated (${error}); failurePolicy Fail`,
        }
      : { outcome: 'allowed' };

  const bindings: Record<string, unknown> = {
    object: request.object,
    oldObject: request.oldObject,
    request: requestVariable(request),
    params: null,
    namespaceObject: request.namespaceObject ?? null,
  };
  // Variables are evaluated in order; each may use the ones before it (an error fails whatever uses it).
  const variables: Record<string, unknown> = {};
  const variableErrors = new Map<string, string>();
  for (const variable of list(spec.variables)) {
    const result = evaluate(String(variable.expression), { ...bindings, variables });
    if (result.ok) variables[String(variable.name)] = result.value;
    else variableErrors.set(String(variable.name), result.error);
  }
  const run1 = (expression: string) => {
    const failed = [...variableErrors].find(([v]) => new RegExp(`\\bvariables\\.${v}\\b`).test(expression));
    if (failed) return { ok: false as const, error: `variable ${failed[0]}: ${failed[1]}` };
    return evaluate(expression, { ...bindings, variables });
  };

  for (const condition of list(spec.matchConditions)) {
    const result = run1(String(condition.expression));
    if (!result.ok) return failure(`match condition ${String(condition.name)}`, result.error);
    if (result.value !== true) return { outcome: 'allowed' };
  }
  for (const validation of list(spec.validations)) {
    const result = run1(String(validation.expression));
    if (!result.ok) return failure(`validation ${JSON.stringify(validation.expression)}`, result.error);
    if (result.value !== true) {
      const message =
        typeof validation.message === 'string' ? validation.message : `failed expression: ${validation.expression}`;
      return { outcome: 'denied', policy: name, message };
    }
  }
  return { outcome: 'allowed' };
}

type Cel = typeof import('@bufbuild/cel');
let loaded: { cel: Cel; environment: CelEnv } | undefined;

/**
 * The CEL evaluator and the environment of admission policies (the standard library and Kubernetes' string
 * extensions), loaded on the first policy: most templates apply none, and loading it costs a tenth of a second.
 */
function celRuntime(): { cel: Cel; environment: CelEnv } {
  if (!loaded) {
    const cel: Cel = require('@bufbuild/cel');
    const { strings }: typeof import('@bufbuild/cel/ext') = require('@bufbuild/cel/ext');
    loaded = { cel, environment: cel.celEnv({ funcs: strings }) };
  }
  return loaded;
}

type Program = (bindings: never) => unknown;
/**
 * Planned programs by expression: the rules ask the same few policies about many requests on every template, and
 * parsing and planning cost far more than running (what `run` would do on every call).
 */
const programs = new Map<string, Program>();

function programOf(expression: string): Program {
  let program = programs.get(expression);
  if (!program) {
    const { cel, environment } = celRuntime();
    try {
      program = cel.plan(environment, cel.parse(expression)) as Program;
    } catch (error) {
      // As `run` would: an expression that does not parse or plan evaluates to a CEL error.
      const failed = cel.celError(error);
      program = () => failed;
    }
    if (programs.size >= 1_000) programs.clear();
    programs.set(expression, program);
  }
  return program;
}

function evaluate(
  expression: string,
  bindings: Record<string, unknown>,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    const value = programOf(expression)(bindings as never);
    return celRuntime().cel.isCelError(value)
      ? { ok: false, error: String((value as Error).message ?? value) }
      : { ok: true, value };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function requestVariable(request: AdmissionRequest): Record<string, unknown> {
  const resource = {
    group: request.resource.group,
    version: request.resource.version,
    resource: request.resource.resource,
  };
  const kind = { group: request.resource.group, version: request.resource.version, kind: request.kind };
  return {
    uid: '00000000-0000-0000-0000-000000000000',
    kind,
    resource,
    subResource: request.subResource ?? '',
    requestKind: kind,
    requestResource: resource,
    requestSubResource: request.subResource ?? '',
    name: request.name,
    namespace: request.namespace ?? '',
    operation: request.operation,
    userInfo: { username: request.userInfo.username, groups: [...request.userInfo.groups] },
    dryRun: false,
  };
}

const list = (value: unknown): Record<string, any>[] => (Array.isArray(value) ? value.filter(isObject) : []);
const strs = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** matchConstraints / matchResources: resource rules, exclusions, namespace and object selectors. */
function matchesResources(match: Record<string, any>, request: AdmissionRequest): boolean {
  if (!list(match.resourceRules).some((rule) => matchesRule(rule, request))) return false;
  if (list(match.excludeResourceRules).some((rule) => matchesRule(rule, request))) return false;
  if (request.namespace !== undefined && !selects(match.namespaceSelector, labelsOf(request.namespaceObject ?? null)))
    return false;
  if (
    request.namespace === undefined &&
    request.kind === 'Namespace' &&
    !selects(match.namespaceSelector, labelsOf(request.object ?? request.oldObject))
  )
    return false;
  // The object selector matches when the new or the old object matches.
  const objectSelector = match.objectSelector;
  return [request.object, request.oldObject]
    .filter((o) => o !== null)
    .some((o) => selects(objectSelector, labelsOf(o)));
}

function matchesRule(rule: Record<string, any>, request: AdmissionRequest): boolean {
  const has = (values: string[], value: string) => values.includes('*') || values.includes(value);
  if (!has(strs(rule.operations), request.operation)) return false;
  if (!has(strs(rule.apiGroups), request.resource.group)) return false;
  if (!has(strs(rule.apiVersions), request.resource.version)) return false;
  const resources = strs(rule.resources);
  const sub = request.subResource ?? '';
  const resourceMatches =
    sub === ''
      ? resources.includes('*') || resources.includes(request.resource.resource)
      : ['*/*', `${request.resource.resource}/*`, `*/${sub}`, `${request.resource.resource}/${sub}`].some((r) =>
          resources.includes(r),
        );
  if (!resourceMatches) return false;
  const names = strs(rule.resourceNames);
  if (names.length > 0 && !names.includes(request.name)) return false;
  const scope = typeof rule.scope === 'string' ? rule.scope : '*';
  return scope === '*' || (scope === 'Namespaced') === (request.namespace !== undefined);
}

function labelsOf(object: Record<string, unknown> | null): Record<string, string> {
  const metadata = object && isObject(object.metadata) ? object.metadata : {};
  return isObject(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
}

/** A Kubernetes label selector; an absent or empty one selects everything. */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return true;
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return list(selector.matchExpressions).every((e) => {
    const values = strs(e.values);
    const present = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In':
        return present && values.includes(labels[e.key]);
      case 'NotIn':
        return !present || !values.includes(labels[e.key]);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
      default:
        return false;
    }
  });
}
