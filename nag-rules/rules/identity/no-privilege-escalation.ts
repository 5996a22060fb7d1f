import {
  conditionEntries,
  coverageOf,
  coversAction,
  literalStrings,
  PlacedDocument,
  Statement,
} from '../../core/iam-documents';
import {
  allowStatements,
  holdersOfPolicy,
  isPermissionsBoundary,
  onlyThroughCloudFormation,
  PlacedStatement,
  policiesOfPrincipal,
  PRINCIPAL_TYPES,
} from '../../core/iam-principals';
import { renderText } from '../../core/intrinsics';
import { privilegedFunctions } from '../../core/privileged-functions';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';

/** IAM calls that write what a principal may do, or give a principal a way in: each is a step to any permission. */
export const IAM_ESCALATION_ACTIONS: readonly string[] = [
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:AddUserToGroup',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
];
/** Calls that run code under a role the caller passes: with iam:PassRole, the caller acts as that role. */
const RUN_AS_PASSED_ROLE: readonly (readonly [string, string])[] = [
  ['lambda:CreateFunction', 'lambda.amazonaws.com'],
  ['lambda:UpdateFunctionConfiguration', 'lambda.amazonaws.com'],
  ['ec2:RunInstances', 'ec2.amazonaws.com'],
];
const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];

/**
 * IDN-12: no principal of the template holds a privilege-escalation primitive: IAM policy or credential writes,
 * iam:PassRole on every role or to any service, sts:AssumeRole on every role, or a way to run code as a role it passes.
 */
export const NoPrivilegeEscalation: ThreatModelRule = {
  controlId: 'IDN-12',
  threats: ['TH-2', 'TH-4', 'LM-1', 'AC-5', 'PV-7'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `No role, user or group of the template (nor a customer-managed policy it leaves for others to attach) allows ${IAM_ESCALATION_ACTIONS.join(', ')}, ` +
    'iam:PassRole on * or without an iam:PassedToService condition naming services, sts:AssumeRole on *, or lambda:CreateFunction/' +
    'UpdateFunctionConfiguration or ec2:RunInstances together with a PassRole those services accept; IAM writes are left to IDN-8 only ' +
    'on the execution role of a privileged Lambda function, and never on every resource; grants that hold only through CloudFormation ' +
    "(aws:CalledVia cloudformation.amazonaws.com: the launch role's) and permissions boundaries are the deployment's",
  explanation:
    'Each of these turns a principal into any other: a policy write grants itself anything, a passed role runs code as that ' +
    "role, an access key or login profile logs in as a user (AC-5). Held by a pod's, a node's or a function's role, one compromised " +
    'container reaches the admin APIs (TH-2, LM-1, TH-4) and the guardrails that keep them to break-glass roles (PV-7). A privileged ' +
    'function that must write policies (the IR-3 revoker) is kept by IDN-8: only its own caller invokes it and only the deployment changes it. ' +
    "The launch role writes the product's roles only through CloudFormation, which runs the locked product template.",
  resourceTypes: [...PRINCIPAL_TYPES, ...POLICY_TYPES],
  evaluate({ model, logicalId, resource, properties }) {
    let documents: PlacedDocument[];
    if (POLICY_TYPES.includes(resource.Type)) {
      // A policy attached to a principal of the template is judged with it; a permissions boundary grants nothing.
      if (holdersOfPolicy(model, logicalId).length > 0 || isPermissionsBoundary(model, logicalId))
        return NOT_APPLICABLE;
      documents = [{ where: logicalId, document: properties.PolicyDocument }];
    } else documents = policiesOfPrincipal(model, logicalId).documents;
    const { statements, unreadable } = allowStatements(documents);
    const findings: RuleFinding[] = unreadable.map((u) => unresolved('A statement', u));
    findings.push(...escalationFindings(model, logicalId, statements));
    const unique = [...new Map(findings.map((f) => [f.message, f])).values()];
    return unique.length ? unique : COMPLIANT;
  },
};

function escalationFindings(model: TemplateModel, holderId: string, placed: PlacedStatement[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  // What holds only through CloudFormation is the deployment's (the launch role): the stack's template decides what it does.
  const statements = placed.filter(({ statement }) => !onlyThroughCloudFormation(statement));
  const guardedFunctionRole = [...privilegedFunctions(model).values()].some((f) => f.roleId === holderId);
  for (const { where, statement } of statements) {
    const grants = coverageOf(statement, IAM_ESCALATION_ACTIONS);
    const writes = IAM_ESCALATION_ACTIONS.filter((_, i) => grants[i] === 'yes');
    if (writes.length && !(guardedFunctionRole && !onEveryResource(statement))) {
      findings.push({
        message: `${where} allows ${writes.join(', ')}${onEveryResource(statement) ? ' on every resource' : ''}: a principal that writes IAM grants or credentials can give itself anything`,
      });
    }
    if (writes.length === 0 && grants.includes('unknown')) {
      findings.push(unresolved(`Whether ${where} allows IAM writes`, 'an Action that is not a literal'));
    }
    if (coversAction(statement, 'iam:PassRole') === 'yes') findings.push(...passRoleFindings(where, statement));
    if (coversAction(statement, 'sts:AssumeRole') === 'yes' && onEveryResource(statement)) {
      findings.push({
        message: `${where} allows sts:AssumeRole on every role: the principal becomes any role that trusts its account`,
      });
    }
  }
  for (const [action, service] of RUN_AS_PASSED_ROLE) {
    const runs = statements.find(({ statement }) => coversAction(statement, action) === 'yes');
    const passes = statements.find(
      ({ statement }) => coversAction(statement, 'iam:PassRole') === 'yes' && passableTo(statement, service),
    );
    if (runs && passes) {
      findings.push({
        message: `${runs.where} allows ${action} and ${passes.where} allows iam:PassRole to ${service}: the principal runs code as every role it may pass`,
      });
    }
  }
  return findings;
}

function passRoleFindings(where: string, statement: Statement): RuleFinding[] {
  if (onEveryResource(statement))
    return [
      {
        message: `${where} allows iam:PassRole on every role: the principal hands any role to a service that runs code`,
      },
    ];
  const services = passedToServices(statement);
  if (services === undefined)
    return [
      {
        message: `${where} allows iam:PassRole without a StringEquals on iam:PassedToService: the role may go to any service`,
      },
    ];
  const wild = services.filter((s) => /[*?]/.test(s));
  if (wild.length) return [{ message: `${where} allows iam:PassRole to services matching ${wild.join(', ')}` }];
  return [];
}

/** The services an iam:PassedToService StringEquals names; undefined when the statement has none. */
function passedToServices(statement: Statement): string[] | undefined {
  const entries = conditionEntries(statement).filter(({ key }) => key === 'iam:passedtoservice');
  if (entries.length === 0) return undefined;
  return entries.flatMap(({ operator, value }) => {
    const texts = literalStrings(value).values;
    return /^StringEquals$/i.test(operator) ? texts : texts.map((t) => (t.includes('*') ? t : `${t}*`));
  });
}

function passableTo(statement: Statement, service: string): boolean {
  const services = passedToServices(statement);
  return (
    services === undefined ||
    services.some((s) =>
      new RegExp(`^${s.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(service),
    )
  );
}

/** Whether a statement's Resource is every resource (`*`, or a pattern of every role or user of any account). */
function onEveryResource(statement: Statement): boolean {
  if (statement.Resource === undefined && statement.NotResource !== undefined) return true;
  const texts = [statement.Resource].flat().map((r) => (typeof r === 'string' ? r : (renderText(r) ?? '')));
  return texts.some((t) => t === '*' || /^arn:[^:]*:iam::[^:]*:(role|user)\/\*$/.test(t));
}
