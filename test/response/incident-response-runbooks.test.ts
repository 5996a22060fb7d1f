import { spawnSync } from 'child_process';
import { Template } from 'aws-cdk-lib/assertions';
import { logicalIdOf } from '../../lib/compliance/acknowledge';
import { RUNBOOK_STEP_TAG, RUNBOOK_TAG } from '../../lib/response/incident-response-runbooks';
import { RESPONSE_ORDER, RUNBOOKS } from '../../lib/response/runbooks';
import { CAPTURED_ARTIFACTS } from '../../lib/response/runbooks/capture-volatile-artifacts';
import { decide, type Decision, type IamRequest, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { validateAutomationDocument } from '../support/ssm-automation';
import {
  ACCOUNT,
  AVML_SHA256,
  BUCKET_NAME,
  CLUSTER_NAME,
  EVIDENCE_RETENTION_DAYS,
  ISOLATION_GROUP_ID,
  KEY_ARN,
  OTHER_GROUP_ID,
  REGION,
  RESOLVED_INPUTS,
  RESPONDER_ARN,
  REVOKER_ARN,
  synthesizeRunbooks,
  VPC_ID,
} from './runbooks-fixture';

const AUTOMATION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/IncidentResponseAutomation`;
const HUMAN = `arn:aws:iam::${ACCOUNT}:role/IncidentResponder`;
const VPC_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${VPC_ID}`;
const ENI = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0a1b2c3d4e5f60718`;
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0a1b2c3d4e5f60718`;
const TAGGED = { 'aws:ResourceTag/eks:cluster-name': CLUSTER_NAME };
const OTHER_CLUSTER = { 'aws:ResourceTag/eks:cluster-name': 'other' };
const REVOKER_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/RoleSessionRevoker`;
const NODE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/NodeRole`;
const WORKLOAD_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/payments-api`;
const VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0a1b2c3d4e5f60718`;
const SNAPSHOT = `arn:aws:ec2:${REGION}::snapshot/snap-0a1b2c3d4e5f60718`;
/** The request tags IR-6 creates its snapshots with. */
const INCIDENT_TAGS = {
  'aws:RequestTag/hardened-eks:incident': 'INC-42',
  'aws:RequestTag/hardened-eks:instance': 'i-0a1b2c3d4e5f60718',
  'aws:RequestTag/eks:cluster-name': CLUSTER_NAME,
  'aws:TagKeys': ['hardened-eks:incident', 'hardened-eks:instance', 'eks:cluster-name'],
};

const { template, runbooks, stack } = synthesizeRunbooks();
const ids = {
  automationRole: logicalIdOf(runbooks.automationRole.role),
  revokerRole: logicalIdOf(runbooks.revoker.role),
  revoker: logicalIdOf(runbooks.revoker.function),
  captureCommand: stack.resolve(runbooks.captureCommand.logicalId) as string,
  revokerLogs: logicalIdOf(runbooks.revoker.logGroup),
};
const documents = Object.fromEntries(
  Object.entries(template.findResources('AWS::SSM::Document')).filter(([, d]) =>
    (d.Properties.Tags ?? []).some((t: any) => t.Key === RUNBOOK_TAG),
  ),
);
const logicalIds: Record<string, string> = {
  [`${ids.automationRole}.Arn`]: AUTOMATION_ROLE_ARN,
  [`${ids.revokerRole}.Arn`]: REVOKER_ROLE_ARN,
  [`${ids.revoker}.Arn`]: REVOKER_ARN,
  [`${ids.revokerLogs}.Arn`]: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:revoker:*`,
};
for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, any>)) {
  logicalIds[id] = resource.Type === 'AWS::SSM::Document' ? `${id}Document` : id;
}
const CAPTURE_COMMAND = `${ids.captureCommand}Document`;
const CAPTURE_COMMAND_ARN = `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${CAPTURE_COMMAND}`;
const resolve = (value: unknown) => resolveIntrinsics(value, logicalIds);
const documentByStep = Object.fromEntries(
  Object.entries(documents).map(([id, d]) => [
    (d.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === RUNBOOK_STEP_TAG)!.Value,
    { logicalId: id, name: `${id}Document`, content: resolve(d.Properties.Content) },
  ]),
);

function onlyResource(t: Template, type: string): any {
  const found = Object.values(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}
const policyOf = (roleId: string): PolicyDocument => {
  const found = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    p.Properties.Roles.some((r: any) => r.Ref === roleId),
  );
  expect(found).toHaveLength(1);
  return resolve(found[0].Properties.PolicyDocument);
};
const automationPolicy: PolicyDocument = policyOf(ids.automationRole);
const revokerPolicy: PolicyDocument = policyOf(ids.revokerRole);
const responderPolicy: PolicyDocument = resolve(
  onlyResource(template, 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument,
);
/** KMS only honours IAM policies when the key policy delegates to the account (the default key policy does). */
const KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};
const asAutomation = (action: string, resourceArn: string, context?: IamRequest['context']): Promise<Decision> =>
  decide(
    { identityPolicies: [automationPolicy], resourcePolicy: action.startsWith('kms:') ? KEY_POLICY : undefined },
    { principalArn: AUTOMATION_ROLE_ARN, action, resourceArn, context },
  );
const asResponder = (action: string, resourceArn: string, context?: IamRequest['context']): Promise<Decision> =>
  decide({ identityPolicies: [responderPolicy] }, { principalArn: HUMAN, action, resourceArn, context });

describe('incident-response runbooks (IR-1..IR-6)', () => {
  test('one Automation document per runbook, named by CloudFormation, tagged with its IR and step', () => {
    expect(Object.keys(documents)).toHaveLength(RUNBOOKS.length);
    for (const runbook of RUNBOOKS) {
      const document = Object.values(documents).find((d) =>
        d.Properties.Tags.some((t: any) => t.Key === RUNBOOK_STEP_TAG && t.Value === runbook.id),
      )!;
      expect(document.Properties).toMatchObject({ DocumentType: 'Automation', DocumentFormat: 'JSON' });
      expect(document.Properties.Name).toBeUndefined();
      expect(document.Properties.Tags).toEqual([
        { Key: RUNBOOK_TAG, Value: runbook.irId },
        { Key: RUNBOOK_STEP_TAG, Value: runbook.id },
      ]);
    }
    expect(new Set(RUNBOOKS.map((r) => r.irId))).toEqual(new Set(['IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6']));
  });

  test.each(RUNBOOKS.map((r) => [r.id]))('%s validates as an Automation document (scripts compile)', (id) => {
    expect(validateAutomationDocument(documentByStep[id].content)).toEqual([]);
  });

  test('every document assumes the automation role and defaults to this cluster', () => {
    for (const { content } of Object.values(documentByStep)) {
      expect(content.schemaVersion).toBe('0.3');
      expect(content.assumeRole).toBe('{{ AutomationAssumeRole }}');
      expect(content.parameters.AutomationAssumeRole).toMatchObject({ type: 'String', default: AUTOMATION_ROLE_ARN });
      expect(content.parameters.ClusterName).toMatchObject({ type: 'String', default: CLUSTER_NAME });
    }
  });

  test('the synthesized content is the documented function of the deployment values', () => {
    for (const runbook of RUNBOOKS) {
      const expected = runbook.content({
        ...RESOLVED_INPUTS,
        automationRoleArn: AUTOMATION_ROLE_ARN,
        avmlSha256: AVML_SHA256,
        captureCommandDocumentName: CAPTURE_COMMAND,
        revokerFunctionArn: REVOKER_ARN,
      });
      expect(documentByStep[runbook.id].content).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  test('IR-1 asks the responder and returns pods, nodes, instances and roles', () => {
    const { content } = documentByStep.identify;
    expect(content.parameters.Selector.allowedValues).toEqual(
      expect.arrayContaining(['node', 'deployment', 'label', 'serviceAccount']),
    );
    const invoke = content.mainSteps.find((s: any) => s.action === 'aws:invokeLambdaFunction');
    expect(invoke.inputs.FunctionName).toBe(RESPONDER_ARN);
    expect(content.outputs).toEqual(
      expect.arrayContaining([
        'ParseResponse.Pods',
        'ParseResponse.NodeNames',
        'ParseResponse.InstanceIds',
        'ParseResponse.PodRoleArns',
        'ParseResponse.IdentityMismatches',
      ]),
    );
  });

  test("IR-1's parse step keeps the issued roles for IR-3 and passes the identity mismatches on", () => {
    const parse = documentByStep.identify.content.mainSteps.find((s: any) => s.name === 'ParseResponse').inputs
      .Script as string;
    const answer = {
      pods: [
        {
          namespace: 'payments',
          name: 'api-1',
          node: 'n',
          instanceId: 'i-0123456789abcdef0',
          serviceAccount: 'api',
          irsaRoleArns: ['arn:aws:iam::1:role/issued'],
          annotatedRoleArn: 'arn:aws:iam::1:role/decoy',
          podIdentityRoleArns: [],
        },
      ],
      nodes: [{ name: 'n' }],
      instanceIds: ['i-0123456789abcdef0'],
      roleArns: ['arn:aws:iam::1:role/issued'],
      identityMismatches: ['payments/api-1: the annotation changed'],
    };
    const run = spawnSync(
      'python3',
      ['-c', `${parse}\nimport json, sys\nprint(json.dumps(parse({'Payload': sys.stdin.read()}, None)))`],
      { input: JSON.stringify(answer), encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      PodRoleArns: ['arn:aws:iam::1:role/issued'],
      IdentityMismatches: ['payments/api-1: the annotation changed'],
      Pods: [
        expect.objectContaining({
          irsaRoleArns: 'arn:aws:iam::1:role/issued',
          annotatedRoleArn: 'arn:aws:iam::1:role/decoy',
        }),
      ],
    });
  });

  test('IR-2/IR-4 send the contract actions; IR-2 node isolation passes only the isolation group', () => {
    expect(JSON.parse(documentByStep['isolate-pod'].content.mainSteps[0].inputs.Payload)).toEqual({
      action: 'quarantine-pod',
      namespace: '{{ Namespace }}',
      pod: '{{ PodName }}',
    });
    expect(JSON.stringify(documentByStep['cordon-node'].content)).toContain("'action': 'cordon-node'");
    const isolate = documentByStep['isolate-node'].content.mainSteps[0];
    expect(isolate.inputs.InputPayload.IsolationSecurityGroupId).toBe(ISOLATION_GROUP_ID);
    expect(isolate.inputs.Script).toMatch(
      /create_tags[\s\S]*modify_network_interface_attribute[\s\S]*Interfaces not isolated/,
    );
  });

  test("IR-3 asks the product's revoker for the role and checks its answer; the runbook itself writes no policy", () => {
    const { content } = documentByStep['revoke-role-sessions'];
    const invoke = content.mainSteps.find((s: any) => s.action === 'aws:invokeLambdaFunction');
    expect(invoke.inputs).toMatchObject({ FunctionName: REVOKER_ARN, Payload: '{"roleName":"{{ RoleName }}"}' });
    expect(content.parameters.RoleName.allowedPattern).toBe('^[\\w+=,.@-]{1,64}$');
    expect(JSON.stringify(content)).not.toMatch(/PutRolePolicy|put_role_policy/);
    expect(content.outputs).toEqual(['CheckAnswer.RevokedBefore']);
  });

  test('IR-5 sets and asserts termination and scale-in protection', () => {
    const steps = documentByStep['protect-node'].content.mainSteps.map((s: any) => `${s.action} ${s.inputs.Api ?? ''}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'aws:executeAwsApi ModifyInstanceAttribute',
        'aws:executeAwsApi SetInstanceProtection',
        'aws:assertAwsResourceProperty DescribeInstanceAttribute',
        'aws:assertAwsResourceProperty DescribeAutoScalingInstances',
      ]),
    );
  });

  test("IR-6 runs the product's own Command document with the presigned URLs, and no checksum of the caller's", () => {
    const { content } = documentByStep['capture-volatile-artifacts'];
    expect(content.parameters.IncidentId.allowedPattern).toBeDefined();
    expect(content.parameters.AvmlSha256).toBeUndefined();
    const run = content.mainSteps.find((s: any) => s.action === 'aws:runCommand');
    expect(run.inputs.DocumentName).toBe(CAPTURE_COMMAND);
    expect(run.inputs.Parameters).toEqual({
      CaptureMemory: '{{ CaptureMemory }}',
      AvmlUrl: '{{ PresignUrls.AvmlUrl }}',
      UploadUrls: '{{ PresignUrls.UploadUrls }}',
    });
    const presign = content.mainSteps[0].inputs;
    expect(presign.InputPayload).toMatchObject({
      Bucket: BUCKET_NAME,
      AvmlSha256: AVML_SHA256,
      Artifacts: [...CAPTURED_ARTIFACTS],
    });
    expect(presign.Script).toContain("'incidents/' + events['IncidentId'] + '/' + events['InstanceId'] + '/'");
    expect(presign.Script).toMatch(
      /if not events\['AvmlSha256'\]:\s+raise Exception\('no AVML SHA-256 is configured for the product \(incidentResponse.avmlSha256\): IR-6 refuses to run/,
    );
    expect(content.outputs).toContain('PresignUrls.ArtifactKeys');
  });

  test("IR-6 then snapshots the node's volumes, tagged with the incident and locked for the evidence retention", () => {
    const { content } = documentByStep['capture-volatile-artifacts'];
    const names = content.mainSteps.map((s: any) => s.name);
    expect(names.indexOf('SnapshotVolumes')).toBeGreaterThan(names.indexOf('CaptureOnNode'));
    const snapshot = content.mainSteps.find((s: any) => s.name === 'SnapshotVolumes');
    expect(snapshot.isEnd).toBe(true);
    expect(snapshot.inputs.InputPayload).toEqual({
      InstanceId: '{{ InstanceId }}',
      IncidentId: '{{ IncidentId }}',
      ClusterName: '{{ ClusterName }}',
      RetentionDays: EVIDENCE_RETENTION_DAYS,
    });
    expect(snapshot.inputs.Script).toContain(
      "InstanceSpecification={'InstanceId': instance_id, 'ExcludeBootVolume': False}",
    );
    expect(snapshot.inputs.Script).toContain("LockMode='compliance', LockDuration=int(events['RetentionDays'])");
    expect(snapshot.inputs.Script).toMatch(/if unencrypted:\s+raise Exception/);
    expect(content.outputs).toContain('SnapshotVolumes.SnapshotIds');
    expect(validateAutomationDocument(content)).toEqual([]);
  });

  test('the capture Command document: the script fixed in the template, the configured checksum its only allowed value', () => {
    const command = template.toJSON().Resources[ids.captureCommand];
    expect(command.Properties).toMatchObject({ DocumentType: 'Command', DocumentFormat: 'JSON' });
    const content = resolve(command.Properties.Content);
    expect(content.schemaVersion).toBe('2.2');
    expect(content.parameters.AvmlSha256).toMatchObject({ allowedValues: [AVML_SHA256], default: AVML_SHA256 });
    for (const [name, parameter] of Object.entries<any>(content.parameters))
      expect({ name, constrained: Boolean(parameter.allowedValues ?? parameter.allowedPattern) }).toEqual({
        name,
        constrained: true,
      });
    const script: string = content.mainSteps[0].inputs.runCommand.join('\n');
    for (const command of [
      'ps auxfww',
      'ss -tanp',
      'ss -uanp',
      'ip addr',
      'ip route',
      'ctr -n k8s.io containers list',
      'ctr -n k8s.io tasks list',
      'last',
      'lsmod',
      'sha256sum',
      './avml',
    ]) {
      expect(script).toContain(command);
    }
    expect(script).toMatch(/sha256sum --check[\s\S]*\|\| fail "AVML SHA-256 mismatch/);
    expect(script).toContain('-H "Content-MD5: $md5"');
    expect(script).not.toMatch(/https?:\/\/(?!\$)/);
    expect(script).toMatch(/split -b 4G -d -a 2 memory\.lime memory\.lime\.part/);
    expect(script).toMatch(
      new RegExp(`MEMORY_PARTS=${CAPTURED_ARTIFACTS.filter((a) => a.startsWith('memory.lime.part')).length}\\n`),
    );
    expect(CAPTURED_ARTIFACTS[CAPTURED_ARTIFACTS.length - 1]).toBe('manifest.sha256');
  });

  test('RUNBOOKS describes every document and the responder order ends with the node role revocation', () => {
    for (const runbook of RUNBOOKS) {
      const parameters = Object.keys(documentByStep[runbook.id].content.parameters).filter(
        (p) => !['AutomationAssumeRole', 'ClusterName'].includes(p),
      );
      expect(runbook.inputs.map((i) => i.name).sort()).toEqual(parameters.sort());
      expect(runbook.outputs.map((o) => o.name).sort()).toEqual([...documentByStep[runbook.id].content.outputs].sort());
      expect(runbook.order.length).toBeGreaterThan(0);
    }
    expect(RESPONSE_ORDER.map((s) => s.runbook)).toEqual([
      'identify',
      'isolate-pod',
      'revoke-role-sessions',
      'isolate-node',
      'cordon-node',
      'protect-node',
      'capture-volatile-artifacts',
      'revoke-role-sessions',
    ]);
    expect(RESPONSE_ORDER.at(-1)!.target).toMatch(/node role/);
  });

  test('the automation role is assumable by SSM Automation of this account only', () => {
    const role = resolve(template.toJSON().Resources[ids.automationRole].Properties);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'ssm.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: { 'aws:SourceArn': `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-execution/*` },
        },
      },
    ]);
  });

  describe('the automation role may do what the runbooks do', () => {
    test.each<[string, string, string, IamRequest['context']?]>([
      [
        'isolate: the isolation group',
        'ec2:ModifyNetworkInterfaceAttribute',
        `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${ISOLATION_GROUP_ID}`,
      ],
      [
        'isolate: a node interface in the cluster VPC',
        'ec2:ModifyNetworkInterfaceAttribute',
        ENI,
        { 'ec2:Vpc': VPC_ARN },
      ],
      [
        'isolate: record the groups on the instance',
        'ec2:CreateTags',
        INSTANCE,
        { ...TAGGED, 'aws:TagKeys': ['hardened-eks:isolation/eni-0a1b2c3d4e5f60718'] },
      ],
      ['identify / cordon: invoke the responder', 'lambda:InvokeFunction', RESPONDER_ARN],
      ['revoke: invoke the revoker', 'lambda:InvokeFunction', REVOKER_ARN],
      ['protect: termination protection', 'ec2:ModifyInstanceAttribute', INSTANCE, TAGGED],
      [
        'protect: scale-in protection',
        'autoscaling:SetInstanceProtection',
        `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:0a1b2c3d-0000-0000-0000-000000000000:autoScalingGroupName/eks-ng-1`,
        TAGGED,
      ],
      ['capture: on a cluster instance', 'ssm:SendCommand', INSTANCE, TAGGED],
      ["capture: the product's Command document", 'ssm:SendCommand', CAPTURE_COMMAND_ARN],
      [
        'capture: write evidence',
        's3:PutObject',
        `arn:aws:s3:::${BUCKET_NAME}/incidents/INC-42/i-0a1b2c3d4e5f60718/memory.lime`,
      ],
      ['capture: read AVML', 's3:GetObject', `arn:aws:s3:::${BUCKET_NAME}/tools/avml`],
      [
        'capture: encrypt through S3',
        'kms:GenerateDataKey',
        KEY_ARN,
        { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      ],
      ['snapshot: the volumes of a cluster instance', 'ec2:CreateSnapshots', INSTANCE, TAGGED],
      ['snapshot: an encrypted volume of it', 'ec2:CreateSnapshots', VOLUME, { 'ec2:Encrypted': 'true' }],
      ['snapshot: a snapshot tagged with the incident', 'ec2:CreateSnapshots', SNAPSHOT, INCIDENT_TAGS],
      ['snapshot: its tags, at creation', 'ec2:CreateTags', SNAPSHOT, { 'ec2:CreateAction': 'CreateSnapshots' }],
      [
        'snapshot: lock an incident snapshot of the cluster',
        'ec2:LockSnapshot',
        SNAPSHOT,
        { ...TAGGED, 'aws:ResourceTag/hardened-eks:incident': 'INC-42' },
      ],
    ])('%s', async (...[, action, resource, context]) => {
      expect(await asAutomation(action, resource, context)).toBe('Allowed');
    });
  });

  // iam-simulate cannot parse the account-less ARN of an AWS-owned document, so the documents are read from the policy.
  test("SendCommand documents: the product's capture document and nothing else (no AWS-RunShellScript)", () => {
    const statements = [automationPolicy.Statement]
      .flat()
      .filter((st: any) => st.Effect === 'Allow' && [st.Action].flat().includes('ssm:SendCommand'));
    const documentResources = statements
      .flatMap((st: any) => [st.Resource].flat())
      .filter((r: string) => r.includes(':document/'));
    expect(documentResources).toEqual([CAPTURE_COMMAND_ARN]);
  });

  describe('the automation role may not', () => {
    test.each<[string, string, string, IamRequest['context'] | undefined, Decision]>([
      [
        'delete the cluster',
        'eks:DeleteCluster',
        `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER_NAME}`,
        undefined,
        'ExplicitlyDenied',
      ],
      [
        'read secrets',
        'secretsmanager:GetSecretValue',
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`,
        undefined,
        'ExplicitlyDenied',
      ],
      [
        'delete evidence',
        's3:DeleteObject',
        `arn:aws:s3:::${BUCKET_NAME}/incidents/INC-42/i-0a1b2c3d4e5f60718/memory.lime`,
        undefined,
        'ExplicitlyDenied',
      ],
      [
        'shorten retention',
        's3:PutObjectRetention',
        `arn:aws:s3:::${BUCKET_NAME}/incidents/INC-42/x`,
        undefined,
        'ExplicitlyDenied',
      ],
      [
        'write outside incidents/',
        's3:PutObject',
        `arn:aws:s3:::${BUCKET_NAME}/tools/avml`,
        undefined,
        'ImplicitlyDenied',
      ],
      [
        'write a policy on a workload role (IR-3 goes through the revoker)',
        'iam:PutRolePolicy',
        WORKLOAD_ROLE_ARN,
        undefined,
        'ExplicitlyDenied',
      ],
      ['put a policy on itself', 'iam:PutRolePolicy', AUTOMATION_ROLE_ARN, undefined, 'ExplicitlyDenied'],
      [
        'create a document of its own',
        'ssm:CreateDocument',
        `arn:aws:ssm:${REGION}:${ACCOUNT}:document/Mine`,
        undefined,
        'ExplicitlyDenied',
      ],
      [
        'start another automation',
        'ssm:StartAutomationExecution',
        `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/Mine:$DEFAULT`,
        undefined,
        'ExplicitlyDenied',
      ],
      ["change the revoker's code", 'lambda:UpdateFunctionCode', REVOKER_ARN, undefined, 'ExplicitlyDenied'],
      [
        'invoke another function',
        'lambda:InvokeFunction',
        `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Other`,
        undefined,
        'ImplicitlyDenied',
      ],
      ['pass a role', 'iam:PassRole', NODE_ROLE_ARN, undefined, 'ExplicitlyDenied'],
      ['run a command on an untagged instance', 'ssm:SendCommand', INSTANCE, undefined, 'ImplicitlyDenied'],
      ["run a command on another cluster's instance", 'ssm:SendCommand', INSTANCE, OTHER_CLUSTER, 'ImplicitlyDenied'],
      [
        'run a document of this account',
        'ssm:SendCommand',
        `arn:aws:ssm:${REGION}:${ACCOUNT}:document/AWS-RunShellScript`,
        undefined,
        'ImplicitlyDenied',
      ],
      [
        'attach another security group',
        'ec2:ModifyNetworkInterfaceAttribute',
        `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${OTHER_GROUP_ID}`,
        undefined,
        'ImplicitlyDenied',
      ],
      [
        'change an interface in another VPC',
        'ec2:ModifyNetworkInterfaceAttribute',
        ENI,
        { 'ec2:Vpc': `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0other000000000000` },
        'ImplicitlyDenied',
      ],
      [
        'protect an instance of another cluster',
        'ec2:ModifyInstanceAttribute',
        INSTANCE,
        OTHER_CLUSTER,
        'ImplicitlyDenied',
      ],
      [
        'tag instances with other keys',
        'ec2:CreateTags',
        INSTANCE,
        { ...TAGGED, 'aws:TagKeys': ['eks:cluster-name'] },
        'ImplicitlyDenied',
      ],
      ['terminate a node', 'ec2:TerminateInstances', INSTANCE, TAGGED, 'ExplicitlyDenied'],
      [
        'use the key outside S3',
        'kms:Decrypt',
        KEY_ARN,
        { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` },
        'ImplicitlyDenied',
      ],
      [
        "snapshot the volumes of another cluster's instance",
        'ec2:CreateSnapshots',
        INSTANCE,
        OTHER_CLUSTER,
        'ImplicitlyDenied',
      ],
      [
        'snapshot any one volume (CreateSnapshot names no instance)',
        'ec2:CreateSnapshot',
        VOLUME,
        { 'ec2:Encrypted': 'true' },
        'ImplicitlyDenied',
      ],
      [
        'snapshot an unencrypted volume',
        'ec2:CreateSnapshots',
        VOLUME,
        { 'ec2:Encrypted': 'false' },
        'ImplicitlyDenied',
      ],
      [
        'create a snapshot without the incident tag',
        'ec2:CreateSnapshots',
        SNAPSHOT,
        { 'aws:RequestTag/eks:cluster-name': CLUSTER_NAME, 'aws:TagKeys': ['eks:cluster-name'] },
        'ImplicitlyDenied',
      ],
      [
        'create a snapshot tagged for another cluster',
        'ec2:CreateSnapshots',
        SNAPSHOT,
        { ...INCIDENT_TAGS, 'aws:RequestTag/eks:cluster-name': 'other' },
        'ImplicitlyDenied',
      ],
      [
        'create a snapshot with a tag of its choosing',
        'ec2:CreateSnapshots',
        SNAPSHOT,
        { ...INCIDENT_TAGS, 'aws:TagKeys': [...(INCIDENT_TAGS['aws:TagKeys'] as string[]), 'Backup'] },
        'ImplicitlyDenied',
      ],
      ['tag an existing snapshot', 'ec2:CreateTags', SNAPSHOT, undefined, 'ImplicitlyDenied'],
      ["lock a snapshot that is not an incident's", 'ec2:LockSnapshot', SNAPSHOT, TAGGED, 'ImplicitlyDenied'],
      [
        "lock another cluster's incident snapshot",
        'ec2:LockSnapshot',
        SNAPSHOT,
        { ...OTHER_CLUSTER, 'aws:ResourceTag/hardened-eks:incident': 'INC-42' },
        'ImplicitlyDenied',
      ],
      [
        'delete an evidence snapshot',
        'ec2:DeleteSnapshot',
        SNAPSHOT,
        { ...TAGGED, 'aws:ResourceTag/hardened-eks:incident': 'INC-42' },
        'ExplicitlyDenied',
      ],
      [
        'unlock an evidence snapshot',
        'ec2:UnlockSnapshot',
        SNAPSHOT,
        { ...TAGGED, 'aws:ResourceTag/hardened-eks:incident': 'INC-42' },
        'ExplicitlyDenied',
      ],
      ['share an evidence snapshot', 'ec2:ModifySnapshotAttribute', SNAPSHOT, TAGGED, 'ExplicitlyDenied'],
      ['copy an evidence snapshot away', 'ec2:CopySnapshot', SNAPSHOT, TAGGED, 'ExplicitlyDenied'],
    ])('%s', async (...[, action, resource, context, expected]) => {
      expect(await asAutomation(action, resource, context)).toBe(expected);
    });
  });

  describe('the role-session revoker (IR-3): the only writer of role policies', () => {
    const asRevoker = (action: string, resourceArn: string, context?: IamRequest['context']): Promise<Decision> =>
      decide({ identityPolicies: [revokerPolicy] }, { principalArn: REVOKER_ROLE_ARN, action, resourceArn, context });

    test('its code is inline in the template and writes only the revoke-older-sessions policy', () => {
      const fn = template.toJSON().Resources[ids.revoker].Properties;
      expect(fn.Code.ZipFile).toMatch(/POLICY_NAME = 'AWSRevokeOlderSessions'/);
      expect(fn.Code.ZipFile).toMatch(/'DateLessThan': \{'aws:TokenIssueTime': now\}/);
      expect(fn.Code.ZipFile.length).toBeLessThan(4096);
      expect(fn.VpcConfig).toBeUndefined();
    });
    test.each<[string, string, string, IamRequest['context'] | undefined, Decision]>([
      ['revoke a workload role', 'iam:PutRolePolicy', WORKLOAD_ROLE_ARN, undefined, 'Allowed'],
      ['read the policy back', 'iam:GetRolePolicy', WORKLOAD_ROLE_ARN, undefined, 'Allowed'],
      ['revoke a /hardened-eks/ role', 'iam:PutRolePolicy', NODE_ROLE_ARN, undefined, 'Allowed'],
      [
        'revoke a role outside the paths',
        'iam:PutRolePolicy',
        `arn:aws:iam::${ACCOUNT}:role/Admin`,
        undefined,
        'ImplicitlyDenied',
      ],
      ['revoke the automation role', 'iam:PutRolePolicy', AUTOMATION_ROLE_ARN, undefined, 'ExplicitlyDenied'],
      ['revoke itself', 'iam:PutRolePolicy', REVOKER_ROLE_ARN, undefined, 'ExplicitlyDenied'],
      ['attach a managed policy', 'iam:AttachRolePolicy', WORKLOAD_ROLE_ARN, undefined, 'ImplicitlyDenied'],
      ['change a trust policy', 'iam:UpdateAssumeRolePolicy', WORKLOAD_ROLE_ARN, undefined, 'ImplicitlyDenied'],
    ])('%s: %s', async (...[, action, resource, context, expected]) => {
      expect(await asRevoker(action, resource, context)).toBe(expected);
    });
  });

  describe('IncidentResponderPolicy', () => {
    test('starts exactly these documents', async () => {
      for (const { name } of Object.values(documentByStep)) {
        expect(
          await asResponder(
            'ssm:StartAutomationExecution',
            `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/${name}:$DEFAULT`,
          ),
        ).toBe('Allowed');
        expect(
          await asResponder('ssm:StartAutomationExecution', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`),
        ).toBe('Allowed');
      }
      expect(
        await asResponder(
          'ssm:StartAutomationExecution',
          `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/AWS-DeleteEKSCluster:$DEFAULT`,
        ),
      ).toBe('ImplicitlyDenied');
      expect(
        await asResponder('ssm:StartAutomationExecution', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/SomeOtherRunbook`),
      ).toBe('ImplicitlyDenied');
    });

    test('passes the automation role to SSM only', async () => {
      expect(
        await asResponder('iam:PassRole', AUTOMATION_ROLE_ARN, { 'iam:PassedToService': 'ssm.amazonaws.com' }),
      ).toBe('Allowed');
      expect(
        await asResponder('iam:PassRole', AUTOMATION_ROLE_ARN, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
      ).toBe('ImplicitlyDenied');
      expect(
        await asResponder('iam:PassRole', NODE_ROLE_ARN, {
          'iam:PassedToService': 'ssm.amazonaws.com',
        }),
      ).toBe('ImplicitlyDenied');
    });
  });
});
