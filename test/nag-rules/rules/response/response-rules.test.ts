import { CaptureArtifactsRunbook } from '../../../../nag-rules/rules/response/capture-artifacts-runbook';
import { CordonRunbook } from '../../../../nag-rules/rules/response/cordon-runbook';
import { IdentifyRunbook } from '../../../../nag-rules/rules/response/identify-runbook';
import { IncidentResponseRoleScoped } from '../../../../nag-rules/rules/response/incident-response-role-scoped';
import { ResponderNotClusterAdmin } from '../../../../nag-rules/rules/response/responder-not-cluster-admin';
import { RESPONSE_RULES } from '../../../../nag-rules/rules/response';
import { IsolateRunbooks } from '../../../../nag-rules/rules/response/isolate-runbooks';
import { ProtectNodeRunbook } from '../../../../nag-rules/rules/response/protect-node-runbook';
import { RevokeCredentialsRunbook } from '../../../../nag-rules/rules/response/revoke-credentials-runbook';
import { check, failures, productTemplate } from '../../rule-harness';
import { messageLines, messages, unresolvedFinding } from '../../rule-findings';
import { responseTemplate, runbook } from './fixtures';

const without = (...ids: string[]) => {
  const t = responseTemplate();
  for (const id of ids) delete t.Resources[id];
  return t;
};

describe('response rules on a compliant template', () => {
  test.each(RESPONSE_RULES.map((r) => [r.controlId, r] as const))('%s passes', (_, rule) => {
    expect(check(rule, responseTemplate(), 'C')).toMatchObject({ status: 'pass', findings: [] });
  });
  test.each(RESPONSE_RULES.filter((r) => r !== ResponderNotClusterAdmin).map((r) => [r.controlId, r] as const))(
    '%s is a warning (remediative control)',
    (_, rule) => {
      expect(rule.level).toBe('warning');
    },
  );
  test('REM-8 (the responder is never cluster-admin) is an error: it prevents a privilege, it does not remediate', () => {
    expect(ResponderNotClusterAdmin.level).toBe('error');
  });
});

describe("REM-6 CaptureArtifactsRunbook: the node's volumes are snapshotted, tagged with the incident and locked", () => {
  const capture = (steps: (s: any[]) => any[]) => {
    const t = responseTemplate();
    t.Resources.Capture.Properties.Content.mainSteps = steps(t.Resources.Capture.Properties.Content.mainSteps);
    return t;
  };
  test('fails without a snapshot step, with snapshots not tagged with the incident, or not locked', () => {
    expect(
      messageLines(
        check(
          CaptureArtifactsRunbook,
          capture((s) => s.slice(0, 1)),
          'C',
        ),
      ),
    ).toMatch(/Capture takes no snapshot of the node's EBS volumes \(CreateSnapshots\)/);
    expect(
      messageLines(
        check(
          CaptureArtifactsRunbook,
          capture((s) => [s[0], { ...s[1], inputs: { ...s[1].inputs, TagSpecifications: undefined } }, s[2]]),
          'C',
        ),
      ),
    ).toMatch(/does not tag the volume snapshots with the incident/);
    expect(
      messageLines(
        check(
          CaptureArtifactsRunbook,
          capture((s) => s.slice(0, 2)),
          'C',
        ),
      ),
    ).toMatch(/does not lock the volume snapshots \(LockSnapshot\)/);
  });
  test("the real product passes; without its SnapshotVolumes step (v1.2.0's IR-6) it fails on the cluster", () => {
    const template = productTemplate();
    expect(failures(CaptureArtifactsRunbook, template)).toEqual([]);
    for (const resource of Object.values<any>(template.Resources)) {
      const content = resource.Type === 'AWS::SSM::Document' ? resource.Properties.Content : undefined;
      if (content?.mainSteps) content.mainSteps = content.mainSteps.filter((s: any) => s.name !== 'SnapshotVolumes');
    }
    const failed = failures(CaptureArtifactsRunbook, template);
    expect(failed.map((e) => e.resourceType)).toEqual(['AWS::EKS::Cluster']);
    expect(messages(failed[0])).toEqual([expect.stringMatching(/takes no snapshot of the node's EBS volumes/)]);
  });
  test('passes with the steps as a script (create_snapshots, lock_snapshot) as the product writes them', () => {
    const script =
      "ec2.create_snapshots(InstanceSpecification={'InstanceId': i}, TagSpecifications=[{'Tags': [{'Key': 'i', 'Value': events['IncidentId']}]}])\nec2.lock_snapshot(SnapshotId=s)";
    const t = capture((s) => [
      s[0],
      {
        name: 'Snapshot',
        action: 'aws:executeScript',
        inputs: {
          Runtime: 'python3.11',
          Handler: 'snapshot',
          Script: script,
          InputPayload: { IncidentId: '{{ IncidentId }}' },
        },
      },
    ]);
    expect(check(CaptureArtifactsRunbook, t, 'C').status).toBe('pass');
  });
});

describe('REM-1 IdentifyRunbook', () => {
  test('fails without an IR-1 runbook, naming the tag', () => {
    expect(messageLines(check(IdentifyRunbook, without('Identify'), 'C'))).toMatch(
      /no SSM Automation runbook tagged hardened-eks:runbook=IR-1 belongs to this cluster/,
    );
  });
  test('fails when the responder runs outside the VPC (the endpoint is private)', () => {
    const t = responseTemplate();
    delete t.Resources.Responder.Properties.VpcConfig;
    expect(messageLines(check(IdentifyRunbook, t, 'C'))).toMatch(/Responder, which does not run inside the VPC/);
  });
  test('fails when the runbook is not an Automation 0.3 document with a role', () => {
    const t = responseTemplate();
    t.Resources.Identify.Properties.DocumentType = 'Command';
    t.Resources.Identify.Properties.Content.schemaVersion = '2.2';
    delete t.Resources.Identify.Properties.Content.assumeRole;
    const text = messageLines(check(IdentifyRunbook, t, 'C'));
    expect(text).toMatch(/not an Automation document/);
    expect(text).toMatch(/schemaVersion 0.3/);
    expect(text).toMatch(/names no assumeRole/);
  });
  test('a runbook of another cluster does not count', () => {
    const t = responseTemplate();
    t.Resources.Identify.Properties.Content.parameters.ClusterName.default = 'someone-elses-cluster';
    expect(check(IdentifyRunbook, t, 'C').status).toBe('fail');
  });
  test('a document given as a JSON string is read; an unreadable one is unresolved', () => {
    const t = responseTemplate();
    t.Resources.Identify.Properties.Content = JSON.stringify(t.Resources.Identify.Properties.Content);
    expect(check(IdentifyRunbook, t, 'C').status).toBe('pass');
    const u = responseTemplate();
    u.Resources.Identify.Properties.Content = { 'Fn::Sub': 'x' };
    expect(check(IdentifyRunbook, u, 'C').findings).toEqual(expect.arrayContaining([unresolvedFinding()]));
  });
});

describe('REM-2 IsolateRunbooks', () => {
  test('needs both a pod and a node isolation runbook', () => {
    expect(messageLines(check(IsolateRunbooks, without('QuarantinePod'), 'C'))).toMatch(/quarantine a pod/);
    expect(messageLines(check(IsolateRunbooks, without('IsolateNode'), 'C'))).toMatch(
      /move a node into an isolation security group/,
    );
  });
  test('an isolation group with ingress or open egress isolates nothing', () => {
    const ingress = responseTemplate();
    ingress.Resources.Isolation.Properties.SecurityGroupIngress = [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
    ];
    expect(messageLines(check(IsolateRunbooks, ingress, 'C'))).toMatch(/isolation group Isolation admits ingress/);
    const separate = responseTemplate();
    separate.Resources.In = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { 'Fn::GetAtt': ['Isolation', 'GroupId'] }, IpProtocol: '-1', CidrIp: '10.0.0.0/8' },
    };
    expect(messageLines(check(IsolateRunbooks, separate, 'C'))).toMatch(/admits ingress/);
    const open = responseTemplate();
    open.Resources.Isolation.Properties.SecurityGroupEgress.push({ IpProtocol: '-1', CidrIp: '0.0.0.0/0' });
    expect(messageLines(check(IsolateRunbooks, open, 'C'))).toMatch(/allows egress to 0.0.0.0\/0/);
    const defaultEgress = responseTemplate();
    delete defaultEgress.Resources.Isolation.Properties.SecurityGroupEgress;
    expect(messageLines(check(IsolateRunbooks, defaultEgress, 'C'))).toMatch(/default allow-all egress/);
  });
  test('a node runbook that changes no security groups fails', () => {
    const t = responseTemplate();
    t.Resources.IsolateNode.Properties.Content.mainSteps[0].inputs.Script = 'print(1)';
    expect(messageLines(check(IsolateRunbooks, t, 'C'))).toMatch(/changes no network interface's security groups/);
  });
});

describe('REM-3 RevokeCredentialsRunbook', () => {
  test('fails without a TokenIssueTime deny or without PutRolePolicy', () => {
    const t = responseTemplate();
    t.Resources.Revoke.Properties.Content.mainSteps[0].inputs.Script = 'iam.put_role_policy(PolicyDocument=doc)';
    expect(messageLines(check(RevokeCredentialsRunbook, t, 'C'))).toMatch(
      /no DateLessThan aws:TokenIssueTime condition/,
    );
    const newer = responseTemplate();
    newer.Resources.Revoke.Properties.Content.mainSteps[0].inputs.Script =
      'iam.put_role_policy(PolicyDocument={"Condition":{"DateGreaterThan":{"aws:TokenIssueTime":now}}})';
    expect(messageLines(check(RevokeCredentialsRunbook, newer, 'C'))).toMatch(/no DateLessThan/);
    const u = responseTemplate();
    u.Resources.Revoke.Properties.Content.mainSteps[0].inputs.Script = 'print("aws:TokenIssueTime")';
    expect(messageLines(check(RevokeCredentialsRunbook, u, 'C'))).toMatch(/puts no role policy/);
    expect(check(RevokeCredentialsRunbook, without('Revoke'), 'C').status).toBe('fail');
  });
});

describe('REM-4 CordonRunbook', () => {
  test('fails without a cordon runbook or when it does not cordon', () => {
    expect(check(CordonRunbook, without('Cordon'), 'C').status).toBe('fail');
    const t = responseTemplate();
    t.Resources.Cordon.Properties.Content.mainSteps[0].inputs.Payload = '{"action":"drain"}';
    expect(messageLines(check(CordonRunbook, t, 'C'))).toMatch(/does not cordon/);
  });
});

describe('REM-5 ProtectNodeRunbook', () => {
  test('needs both termination and scale-in protection', () => {
    const t = responseTemplate();
    t.Resources.Protect.Properties.Content.mainSteps.pop();
    expect(messageLines(check(ProtectNodeRunbook, t, 'C'))).toMatch(/does not set scale-in protection/);
    const u = responseTemplate();
    u.Resources.Protect.Properties.Content.mainSteps.shift();
    expect(messageLines(check(ProtectNodeRunbook, u, 'C'))).toMatch(/does not set DisableApiTermination to true/);
    const off = responseTemplate();
    off.Resources.Protect.Properties.Content.mainSteps[0].inputs.DisableApiTermination.Value = false;
    expect(messageLines(check(ProtectNodeRunbook, off, 'C'))).toMatch(/does not set DisableApiTermination to true/);
  });
});

describe('REM-6 CaptureArtifactsRunbook', () => {
  test('the evidence bucket must be object-locked with a default retention and KMS-encrypted', () => {
    const unlocked = responseTemplate();
    delete unlocked.Resources.Evidence.Properties.ObjectLockEnabled;
    delete unlocked.Resources.Evidence.Properties.ObjectLockConfiguration;
    const text = messageLines(check(CaptureArtifactsRunbook, unlocked, 'C'));
    expect(text).toMatch(/bucket Evidence has no Object Lock/);
    expect(text).toMatch(/no default Object Lock retention/);
    const governance = responseTemplate();
    governance.Resources.Evidence.Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE';
    expect(messageLines(check(CaptureArtifactsRunbook, governance, 'C'))).toMatch(
      /locks evidence in GOVERNANCE mode, not COMPLIANCE/,
    );
    const noPeriod = responseTemplate();
    noPeriod.Resources.Evidence.Properties.ObjectLockConfiguration.Rule.DefaultRetention = { Mode: 'COMPLIANCE' };
    expect(messageLines(check(CaptureArtifactsRunbook, noPeriod, 'C'))).toMatch(/no retention period/);
    const unencrypted = responseTemplate();
    delete unencrypted.Resources.Evidence.Properties.BucketEncryption;
    expect(messageLines(check(CaptureArtifactsRunbook, unencrypted, 'C'))).toMatch(
      /bucket Evidence is not encrypted with aws:kms/,
    );
    const s3Managed = responseTemplate();
    s3Managed.Resources.Evidence.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm =
      'AES256';
    expect(messageLines(check(CaptureArtifactsRunbook, s3Managed, 'C'))).toMatch(/not encrypted with aws:kms/);
  });
  test('the runbook must run a command on the node and name a bucket', () => {
    const t = responseTemplate();
    t.Resources.Capture.Properties.Content.mainSteps[0].action = 'aws:sleep';
    expect(messageLines(check(CaptureArtifactsRunbook, t, 'C'))).toMatch(/runs no command on the node/);
    const u = responseTemplate();
    u.Resources.Capture.Properties.Content.parameters.EvidenceBucket.default = 'some-bucket';
    expect(messageLines(check(CaptureArtifactsRunbook, u, 'C'))).toMatch(/names no S3 bucket of the template/);
  });
});

describe('REM-7 IncidentResponseRoleScoped', () => {
  test('fails on forbidden grants, wide trust, foreign managed policies', () => {
    const t = responseTemplate();
    t.Resources.IrRole.Properties.Policies[0].PolicyDocument.Statement.push({
      Effect: 'Allow',
      Action: 'eks:*',
      Resource: '*',
    });
    expect(messageLines(check(IncidentResponseRoleScoped, t, 'C'))).toMatch(
      /allows the incident-response role eks:DeleteCluster, eks:UpdateClusterConfig, eks:CreateAccessEntry, eks:AssociateAccessPolicy/,
    );
    const secrets = responseTemplate();
    secrets.Resources.P = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'IrRole' }],
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' }] },
      },
    };
    expect(messageLines(check(IncidentResponseRoleScoped, secrets, 'C'))).toMatch(
      /P allows the incident-response role secretsmanager:GetSecretValue/,
    );
    const trust = responseTemplate();
    trust.Resources.IrRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal = { AWS: '*' };
    expect(messageLines(check(IncidentResponseRoleScoped, trust, 'C'))).toMatch(
      /may be assumed by more than ssm.amazonaws.com/,
    );
    const admin = responseTemplate();
    admin.Resources.IrRole.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
    expect(messageLines(check(IncidentResponseRoleScoped, admin, 'C'))).toMatch(
      /managed policies outside the template \(arn:aws:iam::aws:policy\/AdministratorAccess\)/,
    );
  });
  test('fails when a runbook runs as no role of the template', () => {
    const t = responseTemplate();
    t.Resources.Cordon.Properties.Content.parameters.AutomationAssumeRole.default =
      'arn:aws:iam::111122223333:role/Anything';
    expect(messageLines(check(IncidentResponseRoleScoped, t, 'C'))).toMatch(
      /runbook Cordon does not run as a role of the template/,
    );
  });
  test('the responder needs an access entry (REM-7), never a cluster-admin one (REM-8, an error)', () => {
    expect(messageLines(check(IncidentResponseRoleScoped, without('ResponderAccess'), 'C'))).toMatch(
      /none of the functions the runbooks invoke \(Responder\) has an access entry on the cluster/,
    );
    expect(ResponderNotClusterAdmin.level).toBe('error');
    expect(check(ResponderNotClusterAdmin, responseTemplate(), 'C').status).toBe('pass');
    expect(check(ResponderNotClusterAdmin, without('ResponderAccess'), 'C').status).toBe('not-applicable');
    const admin = responseTemplate();
    admin.Resources.ResponderAccess.Properties.AccessPolicies = [
      {
        PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        AccessScope: { Type: 'cluster' },
      },
    ];
    expect(messageLines(check(ResponderNotClusterAdmin, admin, 'C'))).toMatch(
      /gives the responder AmazonEKSClusterAdminPolicy/,
    );
    expect(check(IncidentResponseRoleScoped, admin, 'C').findings).toEqual([]);
    const masters = responseTemplate();
    masters.Resources.ResponderAccess.Properties.KubernetesGroups = ['system:masters'];
    expect(messageLines(check(ResponderNotClusterAdmin, masters, 'C'))).toMatch(/system:masters/);
  });
  test("REM-8: a ClusterRoleBinding of cluster-admin to the responder's group fails; unreadable manifests are unresolved", () => {
    const bound = responseTemplate();
    bound.Resources.ResponderAccess.Properties.KubernetesGroups = ['incident-responders'];
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'responders' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'incident-responders' }],
    };
    bound.Resources.Rbac = {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: { ClusterName: { Ref: 'C' }, Manifest: JSON.stringify([binding]) },
    };
    expect(messageLines(check(ResponderNotClusterAdmin, bound, 'C'))).toMatch(
      /ClusterRoleBinding responders binds cluster-admin to the responder's group incident-responders/,
    );
    bound.Resources.Rbac.Properties.Manifest = { 'Fn::Join': ['', ['[{"kind":', { Ref: 'Kind' }, '']] };
    expect(check(ResponderNotClusterAdmin, bound, 'C').findings.every((f) => f.unresolved)).toBe(true);
    expect(check(ResponderNotClusterAdmin, bound, 'C').status).toBe('fail');
  });
  test('a cluster without runbooks fails', () => {
    expect(
      check(
        IncidentResponseRoleScoped,
        without('Identify', 'QuarantinePod', 'IsolateNode', 'Revoke', 'Cordon', 'Protect', 'Capture'),
        'C',
      ).status,
    ).toBe('fail');
  });
  test('an unreadable tag is reported as unresolved', () => {
    const t = responseTemplate();
    t.Resources.Other = runbook('IR-1', []);
    t.Resources.Other.Properties.Tags[0].Value = { Ref: 'Step' };
    expect(check(IdentifyRunbook, t, 'C').findings).toEqual([]);
    delete t.Resources.Identify;
    expect(check(IdentifyRunbook, t, 'C').findings).toEqual(expect.arrayContaining([unresolvedFinding()]));
  });
});
