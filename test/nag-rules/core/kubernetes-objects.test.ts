import {
  appliedKubernetesObjects,
  appliedObjects,
  clusterOf,
  containsToken,
  describeObject,
  flagState,
  helmReleases,
  namespaceOf,
  objectsAppliedBy,
  objectsAppliedTo,
  ofKinds,
  parseTemplateJsonObjects,
  parseYaml,
  tokenCause,
  tokenResource,
  tokensIn,
} from '../../../nag-rules/core/kubernetes-objects';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const manifest = (objects: unknown, cluster = 'Cluster') => ({
  Type: 'Custom::AWSCDK-EKS-KubernetesResource',
  Properties: { ClusterName: { Ref: cluster }, Manifest: objects },
});
const model = new TemplateModel({
  Resources: {
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Namespace: manifest(JSON.stringify([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }])),
    List: manifest({
      'Fn::Join': [
        '',
        [
          '[{"kind":"List","items":[{"kind":"ServiceAccount","metadata":{"name":"sa","namespace":"',
          { Ref: 'Ns' },
          '"}}, 7]}]',
        ],
      ],
    }),
    Broken: manifest('[{'),
    Chart: {
      Type: 'Custom::AWSCDK-EKS-HelmChart',
      Properties: { ClusterName: { Ref: 'Cluster' }, Chart: 'calico', Version: '3.28.0', Values: '{"replicas":2}' },
    },
  },
});

describe('objects the template applies', () => {
  test('appliedKubernetesObjects reads each manifest as written; appliedObjects opens Lists and keeps the cluster', () => {
    expect(appliedKubernetesObjects(model).objects.map((o) => o.object.kind)).toEqual(['Namespace', 'List']);
    const { objects, unreadable } = appliedObjects(model);
    expect(objects.map((o) => [o.logicalId, o.clusterId, describeObject(o.object)])).toEqual([
      ['Namespace', 'Cluster', 'Namespace team'],
      ['List', 'Cluster', 'ServiceAccount ${Token:Ns}/sa'],
    ]);
    expect(unreadable).toEqual([
      { logicalId: 'Broken', clusterId: 'Cluster', reason: expect.stringMatching(/^text that is not JSON/) },
      { logicalId: 'List', clusterId: 'Cluster', reason: 'an item of a List is not an object' },
    ]);
  });

  test('per resource and per cluster, with a finding for what cannot be read', () => {
    expect(objectsAppliedBy(model, 'Broken')).toEqual({
      objects: [],
      findings: [
        expect.objectContaining({
          unresolved: true,
          message: expect.stringMatching(/^the manifest of Broken cannot be read/),
        }),
      ],
    });
    const applied = objectsAppliedTo(model, 'Cluster', 'the namespaces');
    expect(applied.objects).toHaveLength(2);
    expect(applied.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/so the namespaces cannot be checked$/),
      expect.stringMatching(/so the namespaces cannot be checked$/),
    ]);
    expect(clusterOf(model, model.resource('Chart')!.Properties)).toBe('Cluster');
  });

  test('helm releases with their values parsed', () => {
    expect(helmReleases(model)).toEqual([
      {
        logicalId: 'Chart',
        clusterId: 'Cluster',
        chart: 'calico',
        version: '3.28.0',
        repository: undefined,
        namespace: undefined,
        values: { replicas: 2 },
      },
    ]);
  });
});

describe('placeholders in objects', () => {
  const account = { kind: 'ServiceAccount', metadata: { name: 'sa', namespace: '${Token:Ns}' } };
  test('containsToken, tokenCause, tokensIn, tokenResource', () => {
    expect([containsToken(account), containsToken({ kind: 'Pod' })]).toEqual([true, false]);
    expect(tokenCause(account)).toBe("template value 'Ns'");
    expect(tokensIn('a ${Token:Role.Arn} b ${Token:Ns}')).toEqual(['${Token:Role.Arn}', '${Token:Ns}']);
    expect(tokenResource(model, '${Token:Cluster.Arn}')).toEqual({ id: 'Cluster', attribute: 'Arn' });
    expect(tokenResource(model, '${Token:Ns}')).toBeUndefined();
  });

  test('ofKinds and flagState treat a placeholder as unknown, never as a match or a value', () => {
    const { matches, findings } = ofKinds([{ kind: 'Pod' }, { kind: '${Token:Kind}' }, { kind: 'Service' }], ['Pod']);
    expect(matches).toEqual([{ kind: 'Pod' }]);
    expect(findings).toEqual([expect.objectContaining({ unresolved: true })]);
    expect(['true', false, undefined, '${Token:Flag}', 3].map(flagState)).toEqual([
      'true',
      'false',
      'unset',
      'token',
      'other',
    ]);
    expect(namespaceOf({ kind: 'Pod', metadata: {} })).toBe('default');
  });

  test('parseYaml keeps placeholders through flow-style YAML; parseTemplateJsonObjects reads joined JSON', () => {
    expect(parseYaml('a: [${Token:X}, b]')).toEqual({ ok: true, value: { a: ['${Token:X}', 'b'] } });
    expect(parseYaml('a: [')).toMatchObject({ ok: false });
    expect(parseTemplateJsonObjects({ 'Fn::Join': ['', ['{"kind":"', { Ref: 'K' }, '"}']] })).toEqual({
      ok: true,
      value: [{ kind: '${Token:K}' }],
    });
    expect(parseTemplateJsonObjects({ Ref: 'K' })).toMatchObject({ ok: false });
  });
});
