import { logicalIdOf } from '../../lib/compliance/acknowledge';
import { QUARANTINE_LABEL } from '../../lib/kubernetes/workload-baseline';
import {
  INCIDENT_RESPONDER_CLUSTER_ROLE,
  INCIDENT_RESPONDERS_GROUP,
  KUBECTL_PATH,
} from '../../lib/response/kubernetes-responder';
import { decide } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { appliedKubernetesObjects, validateKubernetesObject } from '../support/kubernetes-objects';
import { ResponseInfrastructure, synthesizeResponseInfrastructure } from './infrastructure-fixture';
import { runPythonUnitTests } from './python-unit-tests';
import { resourcesOfType } from '../support/project-app';
import { awsSolutionsReport } from '../support/aws-solutions';

let fixture: ResponseInfrastructure;
let template: Record<string, any>;
let ids: Record<'group' | 'controlPlane' | 'endpoints' | 'role' | 'fn' | 'cluster' | 'logs', string>;
beforeAll(() => {
  fixture = synthesizeResponseInfrastructure();
  template = fixture.template;
  const { responder } = fixture;
  ids = {
    group: logicalIdOf(responder.securityGroup),
    controlPlane: logicalIdOf(fixture.securityGroups.controlPlane),
    endpoints: logicalIdOf(fixture.network.endpointSecurityGroup),
    role: logicalIdOf(responder.role),
    fn: logicalIdOf(responder.function as any),
    cluster: logicalIdOf(fixture.cluster.cluster),
    logs: logicalIdOf(responder.logGroup),
  };
});

const groupRef = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });
const rulesOf = (type: string, id: string) =>
  resourcesOfType(template, type)
    .filter(([, r]) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupRef(id)))
    .map(([, r]) => r);

describe('responder network', () => {
  test('egress only 443 to the control plane and, when the VPC is created, to the VPC endpoints; no ingress', () => {
    const egress = rulesOf('AWS::EC2::SecurityGroupEgress', ids.group).map((r) => ({
      to: r.Properties.DestinationSecurityGroupId,
      from: r.Properties.FromPort,
      until: r.Properties.ToPort,
      protocol: r.Properties.IpProtocol,
      condition: r.Condition,
    }));
    expect(egress).toEqual(
      expect.arrayContaining([
        { to: groupRef(ids.controlPlane), from: 443, until: 443, protocol: 'tcp', condition: undefined },
        {
          to: groupRef(ids.endpoints),
          from: 443,
          until: 443,
          protocol: 'tcp',
          condition: fixture.stack.resolve(fixture.createVpc.logicalId),
        },
      ]),
    );
    expect(egress).toHaveLength(2);
    for (const rule of template.Resources[ids.group].Properties.SecurityGroupEgress ?? [])
      expect(rule).toMatchObject({ CidrIp: '255.255.255.255/32' });
    expect(template.Resources[ids.group].Properties.SecurityGroupIngress).toBeUndefined();
    expect(rulesOf('AWS::EC2::SecurityGroupIngress', ids.group)).toEqual([]);
  });

  test('the control plane admits the responder on 443', () => {
    expect(rulesOf('AWS::EC2::SecurityGroupIngress', ids.controlPlane).map((r) => r.Properties)).toContainEqual(
      expect.objectContaining({
        SourceSecurityGroupId: groupRef(ids.group),
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
      }),
    );
  });

  test("the function runs in the cluster's private subnets with its own group, kubectl from the layer, nothing downloaded", () => {
    const fn = template.Resources[ids.fn].Properties;
    expect(fn.Runtime).toBe('python3.13');
    expect(fn.VpcConfig.SecurityGroupIds).toEqual([groupRef(ids.group)]);
    expect(fn.VpcConfig.SubnetIds).toEqual(template.Resources[ids.cluster].Properties.ResourcesVpcConfig.SubnetIds);
    expect(fn.Layers).toHaveLength(1);
    expect(template.Resources[fn.Layers[0].Ref].Properties.Description).toContain(KUBECTL_PATH);
    expect(fn.Environment.Variables).toEqual({
      CLUSTER_NAME: { Ref: ids.cluster },
      KUBECTL: KUBECTL_PATH,
      QUARANTINE_LABEL,
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
    });
    expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: ids.logs } });
    expect(template.Resources[ids.logs].Properties).toMatchObject({
      KmsKeyId: expect.anything(),
      RetentionInDays: 365,
    });
  });
});

describe('responder access to Kubernetes', () => {
  test('a STANDARD access entry for the role, with the responders group and no access policy', () => {
    const entries = resourcesOfType(template, 'AWS::EKS::AccessEntry').filter(
      ([, r]) => JSON.stringify(r.Properties.PrincipalArn) === JSON.stringify({ 'Fn::GetAtt': [ids.role, 'Arn'] }),
    );
    expect(entries).toHaveLength(1);
    const [[, entry]] = entries;
    expect(entry.Properties).toEqual({
      ClusterName: { Ref: ids.cluster },
      PrincipalArn: { 'Fn::GetAtt': [ids.role, 'Arn'] },
      Type: 'STANDARD',
      KubernetesGroups: [INCIDENT_RESPONDERS_GROUP],
    });
    expect(INCIDENT_RESPONDERS_GROUP).toBe('hardened-eks:incident-responders');
  });

  const rbacObjects = () =>
    appliedKubernetesObjects(template)
      .map((o) => o.object)
      .filter((o) => o.metadata?.name === INCIDENT_RESPONDER_CLUSTER_ROLE);

  test('one manifest with a ClusterRole and its binding, both schema-valid', () => {
    const objects = rbacObjects();
    expect(objects.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding']);
    for (const object of objects) validateKubernetesObject(object);
    const manifests = resourcesOfType(template, 'Custom::AWSCDK-EKS-KubernetesResource').filter(([, r]) =>
      JSON.stringify(r.Properties.Manifest).includes(INCIDENT_RESPONDER_CLUSTER_ROLE),
    );
    expect(manifests).toHaveLength(1);
  });

  test('the ClusterRole grants exactly: read pods, nodes, namespaces, service accounts, deployments, replica sets; list network policies; patch pods and nodes', () => {
    const role = rbacObjects().find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces', 'serviceaccounts'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['patch'] },
    ]);
    const everything = role.rules.flatMap((r: any) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    for (const forbidden of [
      '*',
      'secrets',
      'pods/exec',
      'pods/attach',
      'nodes/proxy',
      'escalate',
      'bind',
      'impersonate',
      'delete',
      'create',
      'update',
    ]) {
      expect(everything).not.toContain(forbidden);
    }
    expect(role.rules.every((r: any) => r.resourceNames === undefined && r.nonResourceURLs === undefined)).toBe(true);
  });

  test('the binding gives the ClusterRole to the responders group only', () => {
    const binding = rbacObjects().find((o) => o.kind === 'ClusterRoleBinding')!;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: INCIDENT_RESPONDER_CLUSTER_ROLE,
    });
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: INCIDENT_RESPONDERS_GROUP },
    ]);
  });

  test('the function waits for its access entry and RBAC', () => {
    const dependsOn: string[] = template.Resources[ids.fn].DependsOn;
    const [[entryId]] = resourcesOfType(template, 'AWS::EKS::AccessEntry').filter(([id]) =>
      id.startsWith('ResponderAccessEntry'),
    );
    const [[rbacId]] = resourcesOfType(template, 'Custom::AWSCDK-EKS-KubernetesResource').filter(([id]) =>
      id.includes('IncidentResponderRbac'),
    );
    expect(dependsOn).toEqual(expect.arrayContaining([entryId, rbacId]));
  });
});

describe('responder IAM role, evaluated', () => {
  const ROLE_ARN = 'arn:aws:iam::111122223333:role/hardened-eks/responder';
  const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/fixture';
  const identityPolicies = () => {
    const role = template.Resources[ids.role];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const policies = resourcesOfType(template, 'AWS::IAM::Policy').filter(
      ([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: ids.role }]),
    );
    expect(policies).toHaveLength(1);
    return policies.map(([, p]) =>
      resolveIntrinsics(p.Properties.PolicyDocument, {
        [ids.cluster]: 'fixture',
        [`${ids.cluster}.Arn`]: CLUSTER_ARN,
        [`${ids.logs}.Arn`]: 'arn:aws:logs:eu-west-1:111122223333:log-group:responder:*',
      }),
    );
  };
  const can = (action: string, resourceArn: string) =>
    decide({ identityPolicies: identityPolicies() }, { principalArn: ROLE_ARN, action, resourceArn });

  test.each([
    ['eks:DescribeCluster', CLUSTER_ARN, 'Allowed'],
    ['eks:ListPodIdentityAssociations', CLUSTER_ARN, 'Allowed'],
    [
      'eks:DescribePodIdentityAssociation',
      'arn:aws:eks:eu-west-1:111122223333:podidentityassociation/fixture/a-1234',
      'Allowed',
    ],
    ['logs:PutLogEvents', 'arn:aws:logs:eu-west-1:111122223333:log-group:responder:log-stream:2026/01/01', 'Allowed'],
    ['eks:DeleteCluster', CLUSTER_ARN, 'ImplicitlyDenied'],
    ['eks:UpdateClusterConfig', CLUSTER_ARN, 'ImplicitlyDenied'],
    ['eks:CreateAccessEntry', CLUSTER_ARN, 'ImplicitlyDenied'],
    ['eks:DescribeCluster', 'arn:aws:eks:eu-west-1:111122223333:cluster/other', 'ImplicitlyDenied'],
    [
      'eks:DescribePodIdentityAssociation',
      'arn:aws:eks:eu-west-1:111122223333:podidentityassociation/other/a-1234',
      'ImplicitlyDenied',
    ],
    [
      'secretsmanager:GetSecretValue',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf',
      'ImplicitlyDenied',
    ],
    ['logs:PutLogEvents', 'arn:aws:logs:eu-west-1:111122223333:log-group:other:log-stream:x', 'ImplicitlyDenied'],
  ])('%s on %s: %s', async (action, resource, expected) => {
    await expect(can(action, resource)).resolves.toBe(expected);
  });
});

describe('cdk-nag AwsSolutions on the response infrastructure', () => {
  test('no unacknowledged finding in the fixture stack (network, cluster and the three response constructs)', () => {
    expect(awsSolutionsReport(fixture.stack).findings).toEqual([]);
  });
});

describe('Lambda code (index.py)', () => {
  test('the Python unit tests pass (fake kubectl on the real subprocess path)', () => {
    const run = runPythonUnitTests('responder_test.py', 120_000);
    // Show unittest's report whole when anything failed.
    expect({ status: run.status, error: run.error, report: run.status === 0 ? 'ok' : run.stderr }).toEqual({
      status: 0,
      error: undefined,
      report: 'ok',
    });
    expect(run.stderr).toMatch(/^Ran (\d+) tests/m);
    expect(Number(/^Ran (\d+) tests/m.exec(run.stderr)![1])).toBeGreaterThanOrEqual(15);
    expect(run.stderr).toMatch(/^OK( \(skipped=\d+\))?$/m);
  });
});
