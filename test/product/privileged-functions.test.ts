import { product as hardenedEks } from '../../products/hardened-eks';
import { matchesEventPattern } from '../../nag-rules/core/event-pattern';
import { decide, expectDecisionOn, type Decision, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { resourcesOfType, synthesizeCatalog } from '../support/project-app';
import { failingControls } from './failing-controls';

/*
 * The kubectl handler (cluster-admin), the provider function that invokes it and the incident responder, with the
 * product's guardrail policy attached to an account role that may otherwise do anything with Lambda and IAM: the
 * attacker's paths denied, the deployment's and each caller's allowed, evaluated with iam-simulate; and the alert
 * rules run on the CloudTrail events of both.
 */

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const STACK = `SC-${ACCOUNT}-pp-abcdefghijklm`;
const synth = synthesizeCatalog();
const product = synth.productJson;
const catalog = synth.catalog.toJSON();

const idOf = (type: string, prefix: string) => {
  const found = resourcesOfType(product, type).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0][0];
};
const ids = {
  handler: idOf('AWS::Lambda::Function', 'HardenedClusterKubectlProviderHandler'),
  framework: idOf('AWS::Lambda::Function', 'HardenedClusterKubectlProviderframeworkonEvent'),
  responder: idOf('AWS::Lambda::Function', 'KubernetesResponderFunction'),
  handlerRole: idOf('AWS::IAM::Role', 'HardenedClusterKubectlProviderHandlerServiceRole'),
  frameworkRole: idOf('AWS::IAM::Role', 'HardenedClusterKubectlProviderframeworkonEventServiceRole'),
  automationRole: idOf('AWS::IAM::Role', 'IncidentResponseAutomationRole'),
  guardrail: idOf('AWS::IAM::ManagedPolicy', 'AdminApiGuardrail'),
  functionGuardrail: idOf('AWS::IAM::ManagedPolicy', 'PrivilegedFunctionGuardrail'),
};

/** Deployed names as CloudFormation generates them (stack name, logical ID, suffix; longer than its 64 characters, to test sizes). */
const values: Record<string, string> = { 'Condition::CreateVpc': 'true', ClusterName: 'payments' };
for (const [id, r] of Object.entries(product.Resources as Record<string, any>)) {
  const name = `${STACK}-${id}-A1B2C3D4E5F6`;
  values[id] = name;
  values[`${id}.Arn`] =
    r.Type === 'AWS::Lambda::Function'
      ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`
      : r.Type === 'AWS::IAM::Role'
        ? `arn:aws:iam::${ACCOUNT}:role/hardened-eks/${name}`
        : r.Type === 'AWS::S3::Bucket'
          ? `arn:aws:s3:::${name.toLowerCase()}`
          : `arn:aws:${r.Type.split('::')[1].toLowerCase()}:${REGION}:${ACCOUNT}:${name}`;
  values[`${id}.GroupId`] = `sg-${id.toLowerCase().slice(0, 8)}`;
  values[`${id}.VpcId`] = 'vpc-0123456789abcdef0';
}
const arn = (id: string) => values[`${id}.Arn`];
const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/${hardenedEks.launchRoleName}`;
const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const VIA_CLOUDFORMATION = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };

const guardrail: PolicyDocument = resolveIntrinsics(product.Resources[ids.guardrail].Properties.PolicyDocument, values);
const functionGuardrail: PolicyDocument = resolveIntrinsics(
  product.Resources[ids.functionGuardrail].Properties.PolicyDocument,
  values,
);
const everything: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['lambda:*', 'iam:*'], Resource: '*' }],
};
const launchPolicy: PolicyDocument = (() => {
  const [, role] = resourcesOfType(catalog, 'AWS::IAM::Role').find(
    ([, r]) => r.Properties.RoleName === hardenedEks.launchRoleName,
  )!;
  return resolveIntrinsics(
    role.Properties.Policies[0].PolicyDocument,
    Object.fromEntries(resourcesOfType(catalog, 'AWS::S3::Bucket').map(([id]) => [id, 'assets'])),
  );
})();
const rolePolicies = (roleId: string): PolicyDocument[] =>
  resourcesOfType(product, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .map(([, p]) => resolveIntrinsics(p.Properties.PolicyDocument, values));

/** A request by a principal carrying its own policies and the guardrail (as the README asks for every human and pipeline role). */
const as = (
  principalArn: string,
  own: PolicyDocument[],
  action: string,
  resourceArn: string,
  context: Record<string, string | string[]> = {},
): Promise<Decision> =>
  decide({ identityPolicies: [...own, guardrail, functionGuardrail] }, { principalArn, action, resourceArn, context });

describe('the guardrail keeps the privileged functions to CloudFormation and their own callers', () => {
  test.each([
    [
      'invoke the kubectl handler (apply any manifest as cluster-admin)',
      'lambda:InvokeFunction',
      () => arn(ids.handler),
    ],
    ['invoke a version of it', 'lambda:InvokeFunction', () => `${arn(ids.handler)}:1`],
    ['invoke the provider function (it forwards to the handler)', 'lambda:InvokeFunction', () => arn(ids.framework)],
    ['invoke the incident responder', 'lambda:InvokeFunction', () => arn(ids.responder)],
    ["replace the handler's code", 'lambda:UpdateFunctionCode', () => arn(ids.handler)],
    ['point the provider at another handler', 'lambda:UpdateFunctionConfiguration', () => arn(ids.framework)],
    ['let another account invoke the handler', 'lambda:AddPermission', () => arn(ids.handler)],
    ['give the handler a public URL', 'lambda:CreateFunctionUrlConfig', () => arn(ids.handler)],
    ["pass the handler's role to a function of its own", 'iam:PassRole', () => arn(ids.handlerRole)],
    ["trust itself in the handler's role", 'iam:UpdateAssumeRolePolicy', () => arn(ids.handlerRole)],
    ["add a policy to the provider's role", 'iam:PutRolePolicy', () => arn(ids.frameworkRole)],
  ])('a developer with lambda:* and iam:* may not %s', async (_, action, resource) => {
    expect(await as(DEVELOPER, [everything], action, resource())).toBe('ExplicitlyDenied');
  });

  test('the provider function may invoke the handler, and the automation role the responder', async () => {
    expect(
      await as(arn(ids.frameworkRole), rolePolicies(ids.frameworkRole), 'lambda:InvokeFunction', arn(ids.handler)),
    ).toBe('Allowed');
    expect(
      await as(arn(ids.automationRole), rolePolicies(ids.automationRole), 'lambda:InvokeFunction', arn(ids.responder)),
    ).toBe('Allowed');
    // Each only its own.
    expect(await as(arn(ids.automationRole), [everything], 'lambda:InvokeFunction', arn(ids.handler))).toBe(
      'ExplicitlyDenied',
    );
    expect(await as(arn(ids.frameworkRole), [everything], 'lambda:InvokeFunction', arn(ids.responder))).toBe(
      'ExplicitlyDenied',
    );
  });

  test('the launch role, through CloudFormation, updates the functions, passes their roles and invokes the provider', async () => {
    for (const [action, resource] of [
      ['lambda:UpdateFunctionCode', arn(ids.handler)],
      ['lambda:UpdateFunctionConfiguration', arn(ids.framework)],
      ['lambda:InvokeFunction', arn(ids.framework)],
      ['iam:PassRole', arn(ids.handlerRole)],
    ]) {
      const context =
        action === 'iam:PassRole'
          ? { ...VIA_CLOUDFORMATION, 'iam:PassedToService': 'lambda.amazonaws.com' }
          : VIA_CLOUDFORMATION;
      expectDecisionOn(action, await as(LAUNCH_ROLE, [launchPolicy], action, resource, context), 'Allowed');
    }
    // …but not by itself: every permission of the launch role requires CloudFormation.
    expect(await as(LAUNCH_ROLE, [launchPolicy], 'lambda:UpdateFunctionCode', arn(ids.handler))).not.toBe('Allowed');
    // …and it may not invoke the handler directly.
    expect(await as(LAUNCH_ROLE, [launchPolicy], 'lambda:InvokeFunction', arn(ids.handler), VIA_CLOUDFORMATION)).toBe(
      'ExplicitlyDenied',
    );
  });

  test("each guardrail policy, deployed with CloudFormation-length names, stays under IAM's 6,144-character managed-policy limit", () => {
    for (const [name, document] of [
      ['admin APIs', guardrail],
      ['privileged functions', functionGuardrail],
    ] as const) {
      const size = JSON.stringify(document).replace(/\s/g, '').length;
      expect({ name, under: size < 6144, size }).toEqual({ name, under: true, size });
    }
  });
});

describe('DET-6: the alert rules on CloudTrail events', () => {
  const rules = resourcesOfType(product, 'AWS::Events::Rule')
    .filter(([id]) => id.startsWith('PrivilegedFunctionAlerts'))
    .map(([id, r]) => ({
      id,
      pattern: resolveIntrinsics(r.Properties.EventPattern, values),
      target: r.Properties.Targets[0].Arn,
    }));
  const topic = resourcesOfType(product, 'AWS::SNS::Topic').map(([id]) => id);
  const event = (eventName: string, functionName: string, userIdentity: Record<string, unknown>) => ({
    source: 'aws.lambda',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventSource: 'lambda.amazonaws.com', eventName, requestParameters: { functionName }, userIdentity },
  });
  const session = (roleArn: string) => ({
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/x/y`,
    sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn } },
  });
  const alerted = (e: Record<string, unknown>) => rules.some((r) => matchesEventPattern(r.pattern, e));

  test('two rules, both to the security-alert topic', () => {
    expect(rules).toHaveLength(2);
    for (const rule of rules) expect(topic).toContain(rule.target.Ref);
  });

  test.each([
    [
      "a developer replaces the handler's code (by name)",
      event('UpdateFunctionCode20150331v2', values[ids.handler], session(DEVELOPER)),
    ],
    [
      "an IAM user changes the provider's configuration (by ARN)",
      event('UpdateFunctionConfiguration20150331v2', arn(ids.framework), {
        type: 'IAMUser',
        arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      }),
    ],
    [
      'a developer adds a permission to an alias of the handler',
      event('AddPermission20150331v2', `${arn(ids.handler)}:live`, session(DEVELOPER)),
    ],
    ['a developer invokes the handler', event('Invoke', arn(ids.handler), session(DEVELOPER))],
    ['the automation role invokes the handler', event('Invoke', arn(ids.handler), session(arn(ids.automationRole)))],
    [
      'root invokes the responder',
      event('Invoke', arn(ids.responder), { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` }),
    ],
  ])('alerts: %s', (_, e) => {
    expect(alerted(e)).toBe(true);
  });

  test.each([
    [
      'the launch role updates the handler (a product update)',
      event('UpdateFunctionCode20150331v2', values[ids.handler], session(LAUNCH_ROLE)),
    ],
    ['the provider invokes the handler', event('Invoke', arn(ids.handler), session(arn(ids.frameworkRole)))],
    [
      'the launch role invokes the provider (CloudFormation)',
      event('Invoke', arn(ids.framework), session(LAUNCH_ROLE)),
    ],
    [
      'the automation role invokes the responder',
      event('Invoke', arn(ids.responder), session(arn(ids.automationRole))),
    ],
    [
      'a developer invokes some other function',
      event('Invoke', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:other`, session(DEVELOPER)),
    ],
  ])('quiet: %s', (_, e) => {
    expect(alerted(e)).toBe(false);
  });
});

describe('the pack fails when the product is weakened', () => {
  const copy = (): Record<string, any> => JSON.parse(JSON.stringify(product));
  // What fails without the app's exemption register and acknowledgements (the pack alone, as here).
  const waived = failingControls(product);
  const newlyFailing = (template: Record<string, any>) =>
    failingControls(template).filter((id) => !waived.includes(id));

  test('the guardrail without its statements on the functions: IDN-8', () => {
    const t = copy();
    const document = t.Resources[ids.functionGuardrail].Properties.PolicyDocument;
    document.Statement = document.Statement.filter((s: any) => !/Invoking|PrivilegedFunctions/.test(s.Sid));
    expect(newlyFailing(t)).toEqual(['IDN-8']);
  });

  test('the alert rules removed: DET-6', () => {
    const t = copy();
    for (const [id] of resourcesOfType(t, 'AWS::Events::Rule'))
      if (id.startsWith('PrivilegedFunctionAlerts')) delete t.Resources[id];
    expect(newlyFailing(t)).toEqual(['DET-6']);
  });
});
