import { parse as parseYaml } from 'yaml';
import { Statement, statementCovers, statementsInEveryCase, statementsOf } from '../../core/iam-documents';
import { listMembers, presentBranchValues, renderString, UNKNOWN_PART } from '../../core/intrinsics';
import { NODEGROUP_TYPE } from '../../core/node-launch-templates';
import { COMPLIANT, listed, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal, why } from '../../core/values';

/** What the SSM agent needs for Session Manager (the channel actions and instance registration). */
export const SESSION_MANAGER_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;
const SSM_CORE = 'AmazonSSMManagedInstanceCore';

/** NOD-7: nodes can be reached with Session Manager, and sessions are encrypted and logged. */
export const SessionManagerAccess: ThreatModelRule = {
  controlId: 'NOD-7',
  threats: ['TH-1', 'EP-2', 'IR-6'],
  level: 'error',
  kind: 'missing-control',
  description:
    'The node role allows Session Manager (AmazonSSMManagedInstanceCore, or ssmmessages channel actions and ' +
    'ssm:UpdateInstanceInformation), and a Session document sets kmsKeyId and encrypted CloudWatch (or S3) session logs',
  explanation:
    'Session Manager replaces SSH (EP-2) with IAM-authorized shell access that needs no open port; incident ' +
    'responders use it to capture volatile artifacts (IR-6). Sessions must be encrypted with a customer key and their ' +
    'transcripts logged, or shell access on nodes leaves no trace.',
  resourceTypes: [NODEGROUP_TYPE],
  evaluate({ model, properties }) {
    const findings: RuleFinding[] = [];
    const roles = presentBranchValues(properties.NodeRole);
    if (roles.length === 0) findings.push({ message: 'the node group names no NodeRole' });
    for (const role of roles) {
      const roleId = model.referencedId(role);
      if (!roleId || model.resource(roleId)!.Type !== 'AWS::IAM::Role') {
        findings.push(
          unresolved(
            "the node role's Session Manager permissions",
            roleId ? `resource '${roleId}', which is not an AWS::IAM::Role` : why(role),
          ),
        );
        continue;
      }
      findings.push(...judgeRole(model, roleId));
    }
    findings.push(...judgeSessionDocuments(model));
    return findings.length ? findings : COMPLIANT;
  },
};

/** The node role has (or is given) every Session Manager action. */
function judgeRole(model: TemplateModel, roleId: string): RuleFinding[] {
  const role = model.resource(roleId)!.Properties ?? {};
  const statements: Statement[] = [];
  const unknownPolicies: string[] = [];
  const managed = listMembers(role.ManagedPolicyArns);
  if (managed.unknown !== undefined) unknownPolicies.push(why(managed.unknown));
  for (const arn of managed.members) {
    const ref = model.referencedId(arn);
    if (ref && model.resource(ref)!.Type === 'AWS::IAM::ManagedPolicy') {
      statements.push(...statementsInEveryCase(statementsOf(model.resource(ref)!.Properties?.PolicyDocument)));
      continue;
    }
    const text = renderString(model, arn);
    if (text.endsWith(`/${SSM_CORE}`)) return [];
    if (text.includes(UNKNOWN_PART)) unknownPolicies.push(why(arn));
  }
  for (const policy of listMembers(role.Policies).members) {
    if (isObject(policy)) statements.push(...statementsInEveryCase(statementsOf(policy.PolicyDocument)));
  }
  for (const [, policy] of model.referrersVia(roleId, 'Roles', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'))
    statements.push(...statementsInEveryCase(statementsOf(policy.Properties?.PolicyDocument)));
  const missing = SESSION_MANAGER_ACTIONS.filter((action) => {
    const allowed = statements.some((s) => s.Effect === 'Allow' && statementCovers(s, action));
    const denied = statements.some(
      (s) => s.Effect === 'Deny' && s.Condition === undefined && statementCovers(s, action),
    );
    return !allowed || denied;
  });
  if (missing.length === 0) return [];
  if (unknownPolicies.length > 0)
    return [
      unresolved(
        `Session Manager permissions of node role ${roleId}`,
        `managed policies outside the template (${unknownPolicies[0]})`,
      ),
    ];
  return [
    {
      message: `node role ${roleId} cannot use Session Manager: it lacks ${listed(missing)} (attach ${SSM_CORE} or grant them)`,
    },
  ];
}

/** At least one Session document of the template encrypts sessions with a KMS key and logs them encrypted. */
function judgeSessionDocuments(model: TemplateModel): RuleFinding[] {
  const documents = model
    .resourcesOfType('AWS::SSM::Document')
    .filter(([, d]) => literal(d.Properties?.DocumentType).known && d.Properties?.DocumentType === 'Session');
  if (documents.length === 0) {
    return [
      {
        message:
          "the template has no Session Manager preferences (an AWS::SSM::Document of type Session): sessions would take the account's defaults, not encrypted or logged by this product",
      },
    ];
  }
  const problems: RuleFinding[] = [];
  for (const [id, document] of documents) {
    const result = judgeSessionDocument(model, id, document.Properties?.Content);
    if (result.length === 0) return [];
    problems.push(...result);
  }
  return problems;
}

function judgeSessionDocument(model: TemplateModel, id: string, content: unknown): RuleFinding[] {
  let doc = content;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      try {
        doc = parseYaml(content as string);
      } catch {
        return [{ message: `Session document ${id} has content that is neither JSON nor YAML` }];
      }
    }
  }
  if (!isObject(doc)) {
    return typeof content === 'string'
      ? [{ message: `Session document ${id} has content that is not a JSON or YAML object` }]
      : [unresolved(`the content of Session document ${id}`, why(doc))];
  }
  const inputs = isObject(doc.inputs) ? doc.inputs : {};
  const findings: RuleFinding[] = [];
  const present = (key: string): boolean | RuleFinding => {
    const value = inputs[key];
    if (value === undefined || value === '') return false;
    const lit = literal(value);
    if (lit.known || model.referencedId(value)) return true;
    return unresolved(`inputs.${key} of Session document ${id}`, lit.because);
  };
  const enabled = (key: string): boolean | RuleFinding => {
    const lit = literal(inputs[key]);
    return lit.known ? isTrue(lit.value) : unresolved(`inputs.${key} of Session document ${id}`, lit.because);
  };
  const key = present('kmsKeyId');
  if (key === false)
    findings.push({ message: `Session document ${id} does not encrypt sessions (inputs.kmsKeyId is not set)` });
  else if (key !== true) findings.push(key);
  const channels = [
    ['cloudWatchLogGroupName', 'cloudWatchEncryptionEnabled'],
    ['s3BucketName', 's3EncryptionEnabled'],
  ].map(([target, encryption]) => {
    const where = present(target);
    const encrypted = enabled(encryption);
    if (where === true && encrypted === true) return true;
    return [where, encrypted].find((r): r is RuleFinding => typeof r === 'object');
  });
  if (channels.includes(true)) return findings;
  const unknown = channels.find((c): c is RuleFinding => typeof c === 'object');
  findings.push(
    unknown ?? {
      message: `Session document ${id} does not log sessions encrypted (set cloudWatchLogGroupName with cloudWatchEncryptionEnabled true, or s3BucketName with s3EncryptionEnabled true)`,
    },
  );
  return findings;
}
