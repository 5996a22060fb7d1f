import {
  asArray,
  branchValues,
  hasToken,
  isIntrinsic,
  parseJsonDocument,
  renderText,
  wildcardMatch,
} from './intrinsics';
import { cachedReadFor } from './read-cache';
import { listed } from './rule';
import { isObject, TemplateModel } from './template-model';
import { why } from './values';

/*
 * IAM-style policy documents (identity policies, trust policies, key, repository and endpoint policies) and the
 * policies that reach a role. Nothing here throws on malformed input.
 */

export type Statement = Record<string, any>;

/** What a policy document says, as far as synth time can tell. */
export interface PolicyReading {
  /** Every statement of every branch: Fn::If around the document, its Statement list or one statement is followed. */
  readonly statements: Statement[];
  /** Why parts of the document could not be read (a document or statement given by a parameter, text that is not JSON…). */
  readonly unreadable: string[];
  /**
   * The conditions of the Fn::If that choose between whole documents: a rule that needs a statement to hold in every
   * case cannot rely on the statements of one branch.
   */
  readonly chosenBy: string[];
}

/**
 * The statements of a policy document given as an object, a JSON string or an Fn::Join of strings and intrinsics
 * (placeholders as for `parseJsonDocument`), with what could not be read.
 */
export function statementsOf(document: unknown): PolicyReading {
  const statements: Statement[] = [];
  const unreadable: string[] = [];
  for (const branch of branchValues(document)) {
    if (branch === undefined) continue;
    const parsed =
      typeof branch === 'string' || isObject(branch)
        ? parseJsonDocument(branch)
        : { ok: false as const, reason: why(branch) };
    if (!parsed.ok || !isObject(parsed.value)) {
      unreadable.push(parsed.ok ? 'a document that is not an object' : parsed.reason);
      continue;
    }
    for (const list of branchValues(parsed.value.Statement)) {
      for (const entry of asArray(list)) {
        for (const statement of branchValues(entry)) {
          if (statement === undefined) continue;
          if (isObject(statement) && !isIntrinsic(statement)) statements.push(statement);
          else unreadable.push(`a statement given by ${why(statement)}`);
        }
      }
    }
  }
  return { statements, unreadable, chosenBy: conditionsChoosing(document) };
}

/**
 * Why a reading does not tell what the document says in every case (parts that could not be read, or conditions that
 * choose between whole documents); undefined when it does.
 */
export function undecided(reading: PolicyReading): string | undefined {
  if (reading.unreadable.length) return reading.unreadable.join('; ');
  if (reading.chosenBy.length)
    return `the condition${reading.chosenBy.length > 1 ? 's' : ''} ${listed(reading.chosenBy)} choosing the document`;
  return undefined;
}

/** The statements that hold in every case: none when a condition chooses between whole documents. */
export function statementsInEveryCase(reading: PolicyReading): Statement[] {
  return reading.chosenBy.length ? [] : reading.statements;
}

function conditionsChoosing(value: unknown): string[] {
  const choice = isObject(value) ? value['Fn::If'] : undefined;
  if (!Array.isArray(choice) || choice.length !== 3) return [];
  return [...new Set([String(choice[0]), ...conditionsChoosing(choice[1]), ...conditionsChoosing(choice[2])])];
}

/** Literal strings of a statement field (Action, Resource…), and what is not literal. */
export function literalStrings(value: unknown): { values: string[]; unknown: string[] } {
  const values: string[] = [];
  const unknown: string[] = [];
  for (const entry of asArray(value)) {
    for (const alternative of branchValues(entry)) {
      if (alternative === undefined) continue;
      if (typeof alternative === 'string') values.push(alternative);
      else unknown.push(why(alternative));
    }
  }
  return { values, unknown };
}

/** A three-valued answer: `unknown` when it depends on a value only deploy time knows. */
export type Grant = 'yes' | 'no' | 'unknown';

/** Whether a statement's Action (or NotAction) covers an action. */
export function coversAction(statement: Statement, action: string): Grant {
  return answerFor(actionsOf(statement), action);
}

/**
 * `coversAction` for every action of a list, in the list's order. Rules ask each statement about the same constant
 * lists (the admin APIs, the IAM writes): the answers to a list are worked out once per statement and template, and
 * found with one lookup.
 */
export function coverageOf(statement: Statement, actions: readonly string[]): readonly Grant[] {
  const read = actionsOf(statement);
  let answers = read.lists.get(actions);
  if (!answers) {
    answers = actions.map((action) => answerFor(read, action));
    read.lists.set(actions, answers);
  }
  return answers;
}

/** The actions of a list that a statement covers (`coversAction` answers yes), in the list's order. */
export function actionsCovered(statement: Statement, actions: readonly string[]): string[] {
  const answers = coverageOf(statement, actions);
  return actions.filter((_, i) => answers[i] === 'yes');
}

/** A statement's action list as read once per template, with the answers given so far. */
interface StatementActions {
  readonly negated: boolean;
  /** Whether some entry of the list is not a literal. */
  readonly hasUnknown: boolean;
  /**
   * The literal patterns without wildcards by length (case-insensitive matching maps one character to one, so only a
   * pattern of an action's own length can match it), and those with wildcards: most actions a rule asks about are
   * answered without looking at most patterns.
   */
  readonly exactByLength: Map<number, string[]>;
  readonly wildcards: string[];
  readonly answers: Map<string, Grant>;
  readonly lists: Map<readonly string[], readonly Grant[]>;
}

function actionsOf(statement: Statement): StatementActions {
  // Rules ask each statement about dozens of actions, and several rules the same ones: its action list is read, and
  // each answer worked out, once per template.
  return cachedReadFor('statement-actions', statement, () => {
    const negated = statement.Action === undefined && statement.NotAction !== undefined;
    const { values, unknown } = literalStrings(negated ? statement.NotAction : statement.Action);
    const exactByLength = new Map<number, string[]>();
    const wildcards: string[] = [];
    for (const pattern of values) {
      if (pattern.includes('*') || pattern.includes('?')) wildcards.push(pattern);
      else {
        const sameLength = exactByLength.get(pattern.length);
        if (sameLength) sameLength.push(pattern);
        else exactByLength.set(pattern.length, [pattern]);
      }
    }
    return {
      negated,
      hasUnknown: unknown.length > 0,
      exactByLength,
      wildcards,
      answers: new Map<string, Grant>(),
      lists: new Map<readonly string[], readonly Grant[]>(),
    };
  });
}

function answerFor(actions: StatementActions, action: string): Grant {
  let answer = actions.answers.get(action);
  if (answer === undefined) {
    answer = coverage(actions, action);
    actions.answers.set(action, answer);
  }
  return answer;
}

function coverage(actions: StatementActions, action: string): Grant {
  const matched =
    actions.exactByLength.get(action.length)?.some((pattern) => wildcardMatch(pattern, action)) === true ||
    actions.wildcards.some((pattern) => wildcardMatch(pattern, action));
  if (actions.negated) return matched ? 'no' : actions.hasUnknown ? 'unknown' : 'yes';
  return matched ? 'yes' : actions.hasUnknown ? 'unknown' : 'no';
}

/** Whether a statement applies to every resource (its literal Resource includes "*"). */
export function appliesEverywhere(statement: Statement): boolean {
  if (statement.NotResource !== undefined) return false;
  const { values, unknown } = literalStrings(statement.Resource);
  return unknown.length === 0 && values.includes('*');
}

export function isAllow(statement: Statement): boolean {
  return statement.Effect === 'Allow';
}

export function isDeny(statement: Statement): boolean {
  return statement.Effect === 'Deny';
}

/** Condition operators and keys of a statement (keys lower-cased), when the Condition is a literal object. */
export function conditionEntries(statement: Statement): { operator: string; key: string; value: unknown }[] {
  if (!isObject(statement.Condition)) return [];
  return Object.entries(statement.Condition).flatMap(([operator, block]) =>
    isObject(block) && !isIntrinsic(block)
      ? Object.entries(block).map(([key, value]) => ({ operator, key: key.toLowerCase(), value }))
      : [],
  );
}

/** Whether a statement has a condition (one that is present whatever branch Fn::If takes). */
export function hasCondition(statement: Statement): Grant {
  const branches = branchValues(statement.Condition);
  const present = branches.map(
    (c) => c !== undefined && !(isObject(c) && !isIntrinsic(c) && Object.keys(c).length === 0),
  );
  return present.every(Boolean) ? 'yes' : present.some(Boolean) ? 'unknown' : 'no';
}

/** A policy document somewhere in the template, with where it sits (for messages). */
export interface PlacedDocument {
  readonly where: string;
  readonly document: unknown;
}

/** Policies that reach one IAM role of the template. */
export interface RolePolicies {
  /** Inline and customer-managed policy documents of the template attached to the role. */
  readonly documents: PlacedDocument[];
  /** ManagedPolicyArns entries that are not policies of this template (AWS managed or outside ones). */
  readonly managedPolicyArns: unknown[];
}

export function policiesOfRole(model: TemplateModel, roleId: string): RolePolicies {
  const role = model.resource(roleId);
  const props = (role?.Properties ?? {}) as Record<string, unknown>;
  const documents: PlacedDocument[] = [];
  const seen = new Set<string>();
  for (const entry of asArray(props.Policies)) {
    for (const policy of branchValues(entry)) {
      if (policy === undefined) continue;
      const name = isObject(policy) ? renderText(policy.PolicyName) : undefined;
      documents.push({
        where: `inline policy ${name ?? '(unnamed)'} of ${roleId}`,
        document: isObject(policy) ? policy.PolicyDocument : policy,
      });
    }
  }
  const attach = (id: string, document: unknown) => {
    if (seen.has(id)) return;
    seen.add(id);
    documents.push({ where: id, document });
  };
  for (const [id, r] of model.referrersVia(roleId, 'Roles', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'))
    attach(id, r.Properties?.PolicyDocument);
  for (const [id, r] of model.referrersVia(roleId, 'RoleName', 'AWS::IAM::RolePolicy'))
    attach(id, r.Properties?.PolicyDocument);
  const managedPolicyArns: unknown[] = [];
  for (const entry of asArray(props.ManagedPolicyArns)) {
    for (const arn of branchValues(entry)) {
      if (arn === undefined) continue;
      const id = model.referencedId(arn);
      const policy = id ? model.resource(id) : undefined;
      if (id && policy?.Type === 'AWS::IAM::ManagedPolicy') attach(id, policy.Properties?.PolicyDocument);
      else managedPolicyArns.push(arn);
    }
  }
  return { documents, managedPolicyArns };
}

/** The name of an AWS managed policy from its ARN expression (`arn:${Partition}:iam::aws:policy/<path/name>`). */
export function awsManagedPolicyName(
  arn: unknown,
): { kind: 'aws'; name: string } | { kind: 'other'; text: string } | { kind: 'unknown'; because: string } {
  const text = renderText(arn);
  if (text === undefined) return { kind: 'unknown', because: why(arn) };
  const segment = '(?:\\$\\{Token:[^}]*\\}|[^:])*';
  const match = new RegExp(`^arn:${segment}:iam::aws:policy/(?:[\\w+=,.@-]+/)*([^/]+)$`).exec(text);
  if (match && !hasToken(match[1])) return { kind: 'aws', name: match[1] };
  if (hasToken(text) && !new RegExp(`^arn:${segment}:iam::${segment}:policy/`).test(text))
    return { kind: 'unknown', because: why(arn) };
  return { kind: 'other', text };
}

/**
 * Whether a statement's Principal admits anyone (`*`, `{AWS: '*'}`, or `*` in a principal list): 'unknown' when a
 * principal is an intrinsic (a parameter, an import) that only deploy time knows.
 */
export function admitsAnyone(statement: Statement): Grant {
  const principal = statement.Principal;
  if (principal === '*') return 'yes';
  if (!isObject(principal)) return principal === undefined || typeof principal === 'string' ? 'no' : 'unknown';
  const values = Object.values(principal).flatMap(asArray);
  if (values.includes('*')) return 'yes';
  return values.every((v) => typeof v === 'string') ? 'no' : 'unknown';
}

const LIMITING_OPERATORS =
  /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/i;

/**
 * Whether the statement's Condition limits one of the given keys with a positive operator (StringEquals,
 * StringLike, ArnEquals… — not a Not…, …IfExists or Null operator) to literal values that are not wildcards:
 * 'yes', 'no', or 'unknown' when the values are intrinsics (a parameter, an import) that only deploy time knows.
 */
export function conditionLimits(statement: Statement, keys: readonly string[]): Grant {
  if (!isObject(statement.Condition)) return 'no';
  const wanted = keys.map((k) => k.toLowerCase());
  const verdicts = Object.entries(statement.Condition).flatMap(([operator, block]) =>
    LIMITING_OPERATORS.test(operator) && isObject(block)
      ? Object.entries(block)
          .filter(([key]) => wanted.includes(key.toLowerCase()))
          .map(([, value]) => {
            const values = asArray(value);
            if (values.length === 0 || values.some((v) => v === '*' || v === '')) return 'no';
            return values.every((v) => typeof v === 'string') ? 'yes' : 'unknown';
          })
      : [],
  );
  return verdicts.includes('yes') ? 'yes' : verdicts.includes('unknown') ? 'unknown' : 'no';
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: unknown, action: string): boolean {
  return typeof pattern === 'string' && wildcardMatch(pattern, action);
}

/**
 * True when the literal patterns of a statement's Action/NotAction cover the action (patterns that are not literal are
 * ignored; `coversAction` tells them apart as `unknown`).
 */
export function statementCovers(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return asArray(statement.Action).some((p) => actionMatches(p, action));
  if (statement.NotAction !== undefined) return !asArray(statement.NotAction).some((p) => actionMatches(p, action));
  return false;
}
