import { RUNBOOK_TAG } from '../../lib/response/incident-response-runbooks';
import { RUNBOOKS } from '../../lib/response/runbooks';
import { renderThreatRunbooks } from '../../nag-rules/reports/runbooks';
import { decide, type Decision, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { defaultConfig, defaultSettings, resourcesOfType, synthesizeCatalog } from '../support/project-app';
import { validateAutomationDocument } from '../support/ssm-automation';
import { failingControls } from './failing-controls';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const CLUSTER = 'payments';
const config = defaultConfig();
const settings = defaultSettings(config);
const product: Record<string, any> = synthesizeCatalog(config).productJson;
const copy = (): Record<string, any> => JSON.parse(JSON.stringify(product));
const irOf = (resource: any): string | undefined =>
  (resource.Properties.Tags ?? []).find((t: any) => t.Key === RUNBOOK_TAG)?.Value;
const documents = resourcesOfType(product, 'AWS::SSM::Document').filter(([, d]) => irOf(d));
const [clusterId] = resourcesOfType(product, 'AWS::EKS::Cluster').map(([id]) => id);

/** Every resource of the product as a deployed value: logical ID → a name, `.Arn` → an ARN (enough for IAM evaluation). */
function deployedValues(): Record<string, string> {
  const values: Record<string, string> = {
    'Condition::CreateVpc': 'true',
    ClusterName: CLUSTER,
    [clusterId]: CLUSTER,
    [`${clusterId}.Arn`]: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
  };
  for (const [id, r] of Object.entries(product.Resources as Record<string, any>)) {
    if (values[id]) continue;
    values[id] = `${id.toLowerCase()}`;
    const service = r.Type.split('::')[1].toLowerCase();
    values[`${id}.Arn`] =
      r.Type === 'AWS::IAM::Role'
        ? `arn:aws:iam::${ACCOUNT}:role/hardened-eks/${id}`
        : r.Type === 'AWS::S3::Bucket'
          ? `arn:aws:s3:::${id.toLowerCase()}`
          : r.Type === 'AWS::KMS::Key'
            ? `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`
            : r.Type === 'AWS::Lambda::Function'
              ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`
              : `arn:aws:${service}:${REGION}:${ACCOUNT}:${id}`;
    values[`${id}.GroupId`] = `sg-${id.toLowerCase().slice(0, 8)}`;
    values[`${id}.VpcId`] = 'vpc-0123456789abcdef0';
  }
  return values;
}
const values = deployedValues();
const resolve = (value: unknown) => resolveIntrinsics(value, values);
/** A workload role IR-3 may revoke; the node role, and the tag that makes it this launch's. */
const workloadRoleArn = `arn:aws:iam::${ACCOUNT}:role${settings.incidentResponse.workloadRolePath}payments-api`;
const nodeRoleArn = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/NodeRole`;
const thisLaunch = { 'aws:ResourceTag/hardened-eks:cluster': CLUSTER };
/** The automation role: every runbook's AutomationAssumeRole defaults to it. */
const automationRoleId = documents[0][1].Properties.Content.parameters.AutomationAssumeRole.default['Fn::GetAtt'][0];

/** IAM's decision on a request of the role `roleId`, from the identity policies the product attaches to it. */
function decideAsRole(roleId: string) {
  const policies: PolicyDocument[] = resourcesOfType(product, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .map(([, p]) => resolve(p.Properties.PolicyDocument));
  return (action: string, resourceArn: string, context: Record<string, string | string[]> = {}): Promise<Decision> =>
    decide({ identityPolicies: policies }, { principalArn: values[`${roleId}.Arn`], action, resourceArn, context });
}

describe('incident-response runbooks in the hardened EKS product (CC-REM)', () => {
  test('one Automation document per runbook, tagged with IR-1..IR-6', () => {
    expect(documents).toHaveLength(RUNBOOKS.length);
    expect([...new Set(documents.map(([, d]) => irOf(d)))].sort()).toEqual([
      'IR-1',
      'IR-2',
      'IR-3',
      'IR-4',
      'IR-5',
      'IR-6',
    ]);
    for (const [, d] of documents)
      expect(d.Properties).toMatchObject({ DocumentType: 'Automation', Content: { schemaVersion: '0.3' } });
  });

  test.each(documents.map(([id, d]) => [id, irOf(d), d] as const))(
    "%s (%s) validates against the Automation schema with the product's values",
    (_, __, document) => {
      expect(validateAutomationDocument(resolve(document.Properties.Content))).toEqual([]);
    },
  );

  test('every document runs as the automation role and acts on this cluster by default', () => {
    const roles = new Set(
      documents.map(([, d]) => JSON.stringify(d.Properties.Content.parameters.AutomationAssumeRole.default)),
    );
    expect(roles.size).toBe(1);
    for (const [, d] of documents)
      expect(d.Properties.Content.parameters.ClusterName.default).toEqual({ Ref: clusterId });
  });

  test('the evidence bucket is KMS-encrypted and object-locked in compliance mode for the configured days', () => {
    const locked = resourcesOfType(product, 'AWS::S3::Bucket').filter(([, b]) => b.Properties.ObjectLockEnabled);
    expect(locked).toHaveLength(1);
    expect(locked[0][1].Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({
      Mode: 'COMPLIANCE',
      Days: settings.incidentResponse.evidenceRetentionDays,
    });
    expect(
      locked[0][1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('aws:kms');
  });

  test("in a consumer's VPC the responder reaches EKS over HTTPS; in the created VPC only the control plane and the endpoints", () => {
    const responderGroup = resourcesOfType(product, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('KubernetesResponder'),
    )![1].Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
    const egress = resourcesOfType(product, 'AWS::EC2::SecurityGroupEgress').filter(
      ([, e]) => e.Properties.GroupId['Fn::GetAtt']?.[0] === responderGroup,
    );
    const open = egress.filter(([, e]) => e.Properties.CidrIp === '0.0.0.0/0');
    expect(open).toHaveLength(1);
    expect(open[0][1].Condition).toBe('ExistingVpc');
    expect(product.Conditions.ExistingVpc).toEqual({ 'Fn::Not': [{ Condition: 'CreateVpc' }] });
  });

  describe('the automation role, evaluated with iam-simulate', () => {
    const roleArn = values[`${automationRoleId}.Arn`];
    const as = decideAsRole(automationRoleId);
    const instance = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0a1b2c3d4e5f60718`;
    const tagged = { 'aws:ResourceTag/eks:cluster-name': CLUSTER };

    test('it trusts only ssm.amazonaws.com', () => {
      const trust = product.Resources[automationRoleId].Properties.AssumeRolePolicyDocument.Statement;
      expect(trust.map((s: any) => s.Principal)).toEqual([{ Service: 'ssm.amazonaws.com' }]);
    });
    const functionArn = (prefix: string) =>
      values[`${resourcesOfType(product, 'AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))![0]}.Arn`];
    const [captureCommandId] = resourcesOfType(product, 'AWS::SSM::Document').find(
      ([, d]) => d.Properties.DocumentType === 'Command',
    )!;

    test("it may protect and run the capture on a node of this cluster, and invoke the product's responder and revoker", async () => {
      expect(await as('ec2:ModifyInstanceAttribute', instance, tagged)).toBe('Allowed');
      expect(await as('ssm:SendCommand', instance, tagged)).toBe('Allowed');
      expect(await as('ssm:SendCommand', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${values[captureCommandId]}`)).toBe(
        'Allowed',
      );
      expect(await as('lambda:InvokeFunction', functionArn('KubernetesResponder'))).toBe('Allowed');
      expect(await as('lambda:InvokeFunction', functionArn('IncidentResponseRoleSessionRevoker'))).toBe('Allowed');
    });
    test("it may not delete the cluster, read secrets, touch another cluster's nodes, run a shell, or write any role policy", async () => {
      expect(await as('eks:DeleteCluster', values[`${clusterId}.Arn`])).not.toBe('Allowed');
      expect(await as('eks:UpdateClusterConfig', values[`${clusterId}.Arn`])).not.toBe('Allowed');
      expect(
        await as('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`),
      ).not.toBe('Allowed');
      expect(await as('ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db/password`)).not.toBe(
        'Allowed',
      );
      expect(
        await as('ec2:ModifyInstanceAttribute', instance, { 'aws:ResourceTag/eks:cluster-name': 'other' }),
      ).not.toBe('Allowed');
      expect(await as('ssm:SendCommand', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/AWS-RunShellScript`)).not.toBe(
        'Allowed',
      );
      expect(await as('ssm:CreateDocument', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/Mine`)).toBe('ExplicitlyDenied');
      // IR-3 goes through the revoker: the automation role itself writes no role policy, not even the revocation one.
      expect(await as('iam:PutRolePolicy', workloadRoleArn)).toBe('ExplicitlyDenied');
      expect(await as('iam:PutRolePolicy', nodeRoleArn, thisLaunch)).toBe('ExplicitlyDenied');
      expect(await as('iam:PutRolePolicy', roleArn)).toBe('ExplicitlyDenied');
      expect(await as('iam:PassRole', nodeRoleArn)).not.toBe('Allowed');
    });
  });

  describe('the role-session revoker (IR-3), evaluated with iam-simulate', () => {
    const [revokerRoleId] = resourcesOfType(product, 'AWS::IAM::Role').find(([id]) =>
      id.startsWith('IncidentResponseRoleSessionRevokerRole'),
    )!;
    const automationRoleArn = values[`${automationRoleId}.Arn`];
    const as = decideAsRole(revokerRoleId);

    test("it revokes a workload role and this launch's roles", async () => {
      expect(await as('iam:PutRolePolicy', workloadRoleArn)).toBe('Allowed');
      expect(await as('iam:PutRolePolicy', nodeRoleArn, thisLaunch)).toBe('Allowed');
    });
    test("not another launch's roles (same path, other tag), other roles, the automation role or itself", async () => {
      expect(
        await as('iam:PutRolePolicy', nodeRoleArn, {
          'aws:ResourceTag/hardened-eks:cluster': 'another-cluster',
        }),
      ).not.toBe('Allowed');
      expect(await as('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/Admin`)).not.toBe('Allowed');
      expect(await as('iam:PutRolePolicy', automationRoleArn, thisLaunch)).toBe('ExplicitlyDenied');
      expect(await as('iam:PutRolePolicy', values[`${revokerRoleId}.Arn`], thisLaunch)).toBe('ExplicitlyDenied');
      expect(await as('iam:AttachRolePolicy', workloadRoleArn)).not.toBe('Allowed');
    });
  });

  describe('the pack fails when a runbook or its infrastructure is removed or weakened', () => {
    test.each([
      ['IR-1', 'REM-1'],
      ['IR-2', 'REM-2'],
      ['IR-3', 'REM-3'],
      ['IR-4', 'REM-4'],
      ['IR-5', 'REM-5'],
      ['IR-6', 'REM-6'],
    ])('without its %s runbooks: %s', (ir, control) => {
      const t = copy();
      for (const [id, d] of documents) if (irOf(d) === ir) delete t.Resources[id];
      expect(failingControls(t)).toContain(control);
    });
    test('an evidence bucket without Object Lock: REM-6', () => {
      const t = copy();
      for (const [, b] of resourcesOfType(t, 'AWS::S3::Bucket')) {
        delete b.Properties.ObjectLockEnabled;
        delete b.Properties.ObjectLockConfiguration;
      }
      expect(failingControls(t)).toContain('REM-6');
    });
    test('an isolation group that admits SSH: REM-2', () => {
      const t = copy();
      const isolateNode = documents.find(
        ([, d]) =>
          JSON.stringify(d.Properties.Content).includes('ModifyNetworkInterfaceAttribute') ||
          JSON.stringify(d.Properties.Content).includes('modify_network_interface_attribute'),
      )!;
      const groups = new Set<string>();
      JSON.stringify(isolateNode[1].Properties.Content).replace(
        /"Fn::GetAtt":\["([A-Za-z0-9]+)","GroupId"\]/g,
        (_, id) => {
          groups.add(id);
          return '';
        },
      );
      expect(groups.size).toBeGreaterThan(0);
      for (const id of groups)
        t.Resources[`${id}Ssh`] = {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: {
            GroupId: { 'Fn::GetAtt': [id, 'GroupId'] },
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            CidrIp: '10.0.0.0/8',
          },
        };
      expect(failingControls(t)).toContain('REM-2');
    });
    test('an automation role allowed to delete the cluster (REM-7), or a responder with cluster-admin (REM-8, an error)', () => {
      const t = copy();
      const [policyId] = resourcesOfType(t, 'AWS::IAM::Policy').find(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('ssm:SendCommand'),
      )!;
      t.Resources[policyId].Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: 'eks:*',
        Resource: '*',
      });
      expect(failingControls(t)).toContain('REM-7');
      const u = copy();
      for (const [, e] of resourcesOfType(u, 'AWS::EKS::AccessEntry')) {
        if ((e.Properties.KubernetesGroups ?? []).includes('hardened-eks:incident-responders')) {
          e.Properties.AccessPolicies = [
            {
              PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
              AccessScope: { Type: 'cluster' },
            },
          ];
        }
      }
      expect(failingControls(u)).toContain('REM-8');
      expect(failingControls(u)).not.toContain('REM-7');
    });
  });

  describe('the generated runbook of each threat', () => {
    const runbooks = renderThreatRunbooks({ Product: product });

    test('one Markdown file per threat, naming the documents of each of its steps in order, with their inputs', () => {
      expect(Object.keys(runbooks).sort()).toEqual(['TH-1.md', 'TH-2.md', 'TH-3.md', 'TH-4.md']);
      const th2 = runbooks['TH-2.md'];
      const positions = ['IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6'].map((ir) => th2.indexOf(`. ${ir}: `));
      expect(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]))).toBe(true);
      for (const [id] of documents) expect(th2).toContain(`### ${id} (Product)`);
      expect(th2).toContain('--parameters InstanceId=<InstanceId>');
      expect(th2).not.toContain('No runbook for this step');
      // TH-4 (admin APIs) only identifies and revokes.
      expect(runbooks['TH-4.md']).toMatch(/## 1\. IR-1: [\s\S]*## 2\. IR-3: /);
      expect(runbooks['TH-4.md']).not.toContain('IR-6');
    });
    test('a step without a shipped runbook says so', () => {
      const t = copy();
      for (const [id, d] of documents) if (irOf(d) === 'IR-5') delete t.Resources[id];
      expect(renderThreatRunbooks({ Product: t })['TH-1.md']).toMatch(
        /## 5\. IR-5: [^\n]*\n\nControls: [^\n]*\n\n\*\*No runbook for this step/,
      );
    });
  });
});
