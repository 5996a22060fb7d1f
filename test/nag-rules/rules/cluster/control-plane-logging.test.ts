import { ControlPlaneLogging } from '../../../../nag-rules/rules/cluster/control-plane-logging';
import { check, failures, productTemplate, productWithChanged, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const ALL = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const cluster = (logging: unknown) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: { Logging: logging } } });
const enabled = (types: unknown[]) => ({ ClusterLogging: { EnabledTypes: types.map((Type) => ({ Type })) } });
const v1 = (clusterLogging: unknown) =>
  templateOf({ C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { logging: { clusterLogging } } } } });

describe('CLU-3 ControlPlaneLogging', () => {
  test('compliant: all five log types', () => {
    expect(check(ControlPlaneLogging, cluster(enabled(ALL)), 'C').status).toBe('pass');
  });
  test('non-compliant: audit and scheduler missing', () => {
    const result = check(ControlPlaneLogging, cluster(enabled(['api', 'authenticator', 'controllerManager'])), 'C');
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([{ message: 'control-plane log types not enabled: audit, scheduler' }]);
  });
  test('non-compliant: no Logging at all', () => {
    expect(check(ControlPlaneLogging, cluster(undefined), 'C').findings[0].message).toMatch(
      /api, audit, authenticator, controllerManager, scheduler/,
    );
  });
  test('aws-eks v1 custom resource: the EKS API shape { types, enabled }', () => {
    expect(check(ControlPlaneLogging, v1([{ enabled: true, types: ALL }]), 'C').status).toBe('pass');
    expect(check(ControlPlaneLogging, v1([{ enabled: false, types: ALL }]), 'C').status).toBe('fail');
    expect(
      check(
        ControlPlaneLogging,
        v1([
          { enabled: true, types: ['api'] },
          { enabled: true, types: ALL.slice(1) },
        ]),
        'C',
      ).status,
    ).toBe('pass');
  });
  test('unresolved: a log type given by a parameter', () => {
    const result = check(ControlPlaneLogging, cluster(enabled([...ALL.slice(0, 4), { Ref: 'Fifth' }])), 'C');
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([unresolvedFinding(/^Control-plane log types scheduler/)]);
  });
  test('odd input never passes', () => {
    for (const odd of ['api', { ClusterLogging: 'x' }, { ClusterLogging: { EnabledTypes: [null, 1, 'api'] } }]) {
      expect(check(ControlPlaneLogging, cluster(odd), 'C').status).toBe('fail');
    }
  });
  test('the real product passes, and fails on its cluster without the audit log', () => {
    expect(failures(ControlPlaneLogging, productTemplate())).toEqual([]);
    const { template, id } = productWithChanged('AWS::EKS::Cluster', (cluster) => {
      const logging = cluster.Logging.ClusterLogging;
      logging.EnabledTypes = logging.EnabledTypes.filter((t: any) => t.Type !== 'audit');
    });
    const failed = failures(ControlPlaneLogging, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/not enabled: audit$/);
  });
});
