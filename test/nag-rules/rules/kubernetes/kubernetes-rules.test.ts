import fc from 'fast-check';
import { POD_SPEC_PATHS } from '../../../../nag-rules/core/pod-specs';
import { appliesTo, COMPLIANT, NOT_APPLICABLE, ruleId } from '../../../../nag-rules/core/rule';
import { TemplateModel } from '../../../../nag-rules/core/template-model';
import { CONTROLS } from '../../../../nag-rules/matrix/controls';
import { KUBERNETES_RULES } from '../../../../nag-rules/rules/kubernetes';

describe('KUBERNETES_RULES', () => {
  test('one rule for each of K8S-1..K8S-17, with unique rule IDs', () => {
    expect(KUBERNETES_RULES.map((r) => r.controlId)).toEqual(Array.from({ length: 17 }, (_, i) => `K8S-${i + 1}`));
    expect(new Set(KUBERNETES_RULES.map(ruleId)).size).toBe(17);
  });

  test("each rule names threats its control protects (a TH- among them) and its level follows the control's category", () => {
    for (const rule of KUBERNETES_RULES) {
      const control = CONTROLS.find((c) => c.id === rule.controlId)!;
      expect({ id: rule.controlId, outside: rule.threats.filter((t) => !control.protects.includes(t)) }).toEqual({
        id: rule.controlId,
        outside: [],
      });
      expect(rule.threats.some((t) => t.startsWith('TH-'))).toBe(true);
      expect({ id: rule.controlId, level: rule.level }).toEqual({
        id: rule.controlId,
        level: control.category === 'preventive' ? 'error' : 'warning',
      });
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.explanation.length).toBeGreaterThan(40);
    }
  });

  test('no rule throws on odd workload-shaped manifests (random values at every level of pod specs, RBAC and policies)', () => {
    const leaf = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('${Token:P}', '*', 'kube-system', 'coredns', 'default', true, 'true', null),
    );
    const container = fc.record(
      {
        name: leaf,
        image: fc.oneof(
          leaf,
          fc.constantFrom(
            'nginx',
            '1.dkr.ecr.x.amazonaws.com/a',
            '${Token:AWS::AccountId}.dkr.ecr.r.amazonaws.com/a:1',
          ),
        ),
        securityContext: fc.oneof(
          leaf,
          fc.record({ privileged: leaf, allowPrivilegeEscalation: leaf }, { requiredKeys: [] }),
        ),
        volumeMounts: fc.oneof(
          leaf,
          fc.array(fc.record({ name: leaf, readOnly: leaf }, { requiredKeys: [] }), { maxLength: 2 }),
        ),
      },
      { requiredKeys: [] },
    );
    const podSpec = fc.record(
      {
        containers: fc.oneof(leaf, fc.array(fc.oneof(container, leaf), { maxLength: 2 })),
        initContainers: fc.oneof(leaf, fc.array(container, { maxLength: 2 })),
        volumes: fc.oneof(
          leaf,
          fc.array(
            fc.record(
              { name: leaf, hostPath: fc.oneof(leaf, fc.record({ path: leaf }, { requiredKeys: [] })) },
              { requiredKeys: [] },
            ),
            { maxLength: 2 },
          ),
        ),
        hostPID: leaf,
        serviceAccountName: leaf,
        automountServiceAccountToken: leaf,
      },
      { requiredKeys: [] },
    );
    const nest = (spec: unknown, path: readonly string[]) =>
      path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), spec);
    const object = fc
      .tuple(
        fc.constantFrom(
          ...Object.keys(POD_SPEC_PATHS),
          'ConfigMap',
          'ClusterRole',
          'RoleBinding',
          'NetworkPolicy',
          'Namespace',
          'ServiceAccount',
          'List',
          '${Token:K}',
        ),
        podSpec,
        leaf,
        leaf,
        leaf,
      )
      .map(([kind, spec, metadata, data, rules]) => ({
        kind,
        metadata:
          typeof metadata === 'object' && metadata !== null ? metadata : { name: metadata, namespace: 'workloads' },
        data,
        rules,
        roleRef: rules,
        items: [data],
        automountServiceAccountToken: data,
        ...(POD_SPEC_PATHS[kind]
          ? (nest(spec, POD_SPEC_PATHS[kind]) as object)
          : { spec: { podSelector: data, policyTypes: rules, ingress: data } }),
      }));
    fc.assert(
      fc.property(fc.array(object, { maxLength: 4 }), (objects) => {
        const model = new TemplateModel({
          Resources: {
            Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
            M: {
              Type: 'Custom::AWSCDK-EKS-KubernetesResource',
              Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: JSON.stringify(objects) },
            },
          },
        });
        for (const rule of KUBERNETES_RULES) {
          for (const logicalId of ['Cluster', 'M']) {
            const resource = model.resource(logicalId)!;
            if (!appliesTo(rule, resource.Type)) continue;
            const result = rule.evaluate({
              model,
              logicalId,
              resource,
              properties: resource.Properties as Record<string, any>,
            });
            expect(
              result === COMPLIANT ||
                result === NOT_APPLICABLE ||
                (Array.isArray(result) && result.every((f) => typeof f.message === 'string')),
            ).toBe(true);
          }
        }
      }),
      { seed: 20260101, numRuns: 300 },
    );
  });
});
