import { admit, AdmissionRequest, selects } from '../../../nag-rules/core/admission-policy';

/** The admission-policy evaluator the K8S-15/K8S-16 rules and the product tests rely on, against Kubernetes' semantics. */

const policy = (spec: Record<string, unknown>, name = 'p') => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec,
});
const binding = (actions: string[] = ['Deny'], extra: Record<string, unknown> = {}, name = 'p') => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name },
  spec: { policyName: name, validationActions: actions, ...extra },
});
const pods = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['pods'] }] };
const denyAll = [{ expression: 'false', message: 'no' }];
const request = (extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  operation: 'UPDATE',
  resource: { group: '', version: 'v1', resource: 'pods' },
  kind: 'Pod',
  name: 'web-1',
  namespace: 'apps',
  userInfo: { username: 'alice', groups: ['system:authenticated'] },
  object: { metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { x: 1 } },
  oldObject: { metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { x: 1 } },
  namespaceObject: { metadata: { name: 'apps', labels: { 'kubernetes.io/metadata.name': 'apps', tier: 'prod' } } },
  ...extra,
});
const outcome = (objects: Record<string, unknown>[], r: AdmissionRequest = request()) => admit(objects, r).outcome;

describe('admit', () => {
  test('a failing validation denies only through a binding with the Deny action', () => {
    expect(outcome([policy({ matchConstraints: pods, validations: denyAll }), binding()])).toBe('denied');
    expect(outcome([policy({ matchConstraints: pods, validations: denyAll }), binding(['Warn', 'Audit'])])).toBe(
      'allowed',
    );
    expect(outcome([policy({ matchConstraints: pods, validations: denyAll })])).toBe('allowed');
    expect(outcome([binding()])).toBe('allowed');
  });

  test('resource rules: operation, group, version, subresource, resource names and scope', () => {
    const deny = (rule: Record<string, unknown>) =>
      outcome([policy({ matchConstraints: { resourceRules: [rule] }, validations: denyAll }), binding()]);
    const base = { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['pods'] };
    expect(deny(base)).toBe('denied');
    expect(deny({ ...base, operations: ['CREATE'] })).toBe('allowed');
    expect(deny({ ...base, operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] })).toBe('denied');
    expect(deny({ ...base, apiGroups: ['apps'] })).toBe('allowed');
    expect(deny({ ...base, resourceNames: ['web-2'] })).toBe('allowed');
    expect(deny({ ...base, scope: 'Cluster' })).toBe('allowed');
    // `pods` does not match a subresource request, `pods/*` and `*/*` do.
    const sub = request({ subResource: 'ephemeralcontainers' });
    const denySub = (resources: string[]) =>
      outcome(
        [policy({ matchConstraints: { resourceRules: [{ ...base, resources }] }, validations: denyAll }), binding()],
        sub,
      );
    expect(denySub(['pods'])).toBe('allowed');
    expect(denySub(['pods/ephemeralcontainers'])).toBe('denied');
    expect(denySub(['pods/*'])).toBe('denied');
    expect(denySub(['*/*'])).toBe('denied');
  });

  test("excludeResourceRules, namespaceSelector, objectSelector and the binding's matchResources narrow the match", () => {
    const deny = (match: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      outcome([policy({ matchConstraints: { ...pods, ...match }, validations: denyAll }), binding(['Deny'], extra)]);
    expect(deny({ excludeResourceRules: pods.resourceRules })).toBe('allowed');
    expect(deny({ namespaceSelector: { matchLabels: { tier: 'prod' } } })).toBe('denied');
    expect(
      deny({
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['other'] }],
        },
      }),
    ).toBe('allowed');
    expect(deny({ objectSelector: { matchLabels: { app: 'db' } } })).toBe('allowed');
    expect(deny({}, { matchResources: { namespaceSelector: { matchLabels: { tier: 'dev' } } } })).toBe('allowed');
  });

  test('label selectors: In, NotIn, Exists, DoesNotExist', () => {
    const labels = { a: '1' };
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selects(undefined, labels)).toBe(true);
  });

  test('match conditions skip the policy when false; an error follows failurePolicy (Fail by default)', () => {
    const spec = (condition: string, extra: Record<string, unknown> = {}) => [
      policy({
        matchConstraints: pods,
        matchConditions: [{ name: 'c', expression: condition }],
        validations: denyAll,
        ...extra,
      }),
      binding(),
    ];
    expect(outcome(spec('request.userInfo.username == "alice"'))).toBe('denied');
    expect(outcome(spec('request.userInfo.username == "bob"'))).toBe('allowed');
    expect(outcome(spec('object.metadata.labels["missing"] == "x"'))).toBe('denied');
    expect(outcome(spec('object.metadata.labels["missing"] == "x"', { failurePolicy: 'Ignore' }))).toBe('allowed');
    expect(outcome(spec('this is not CEL'))).toBe('denied');
  });

  test("validations see object, oldObject, request and variables; CEL's || absorbs an error on its other side", () => {
    const check = (expression: string, variables: unknown[] = []) =>
      outcome([policy({ matchConstraints: pods, variables, validations: [{ expression }] }), binding()]);
    expect(check('object.spec == oldObject.spec')).toBe('allowed');
    expect(
      check(
        'request.operation == "UPDATE" && request.namespace == "apps" && "system:authenticated" in request.userInfo.groups',
      ),
    ).toBe('allowed');
    expect(check('variables.app == "web"', [{ name: 'app', expression: 'object.metadata.labels.app' }])).toBe(
      'allowed',
    );
    expect(check('true || oldObject.missing.field')).toBe('allowed');
    const deletion = request({ operation: 'DELETE', object: null });
    expect(
      outcome(
        [
          policy({
            matchConstraints: { resourceRules: [{ ...pods.resourceRules[0], operations: ['DELETE'] }] },
            validations: [{ expression: 'object.metadata.name == "x"' }],
          }),
          binding(),
        ],
        deletion,
      ),
    ).toBe('denied');
  });

  test('parameters and the authorizer cannot be run here: unknown, never allowed silently', () => {
    expect(
      outcome([
        policy({ matchConstraints: pods, paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: denyAll }),
        binding(),
      ]),
    ).toBe('unknown');
    expect(
      outcome([
        policy({
          matchConstraints: pods,
          validations: [{ expression: 'authorizer.group("").resource("pods").check("delete").allowed()' }],
        }),
        binding(),
      ]),
    ).toBe('unknown');
  });
});
