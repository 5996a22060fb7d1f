import { Template } from 'aws-cdk-lib/assertions';
import { RUNBOOK_STEP_TAG, RUNBOOK_TAG } from '../../lib/response/incident-response-runbooks';
import { RESPONSE_ORDER, RUNBOOKS } from '../../lib/response/runbooks';
import { CAPTURED_ARTIFACTS } from '../../lib/response/runbooks/capture-volatile-artifacts';
import { decide, type Decision, type IamRequest, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { validateAutomationDocument } from '../support/ssm-automation';
import {
  ACCOUNT, AVML_SHA256, BUCKET_NAME, CLUSTER_NAME, ISOLATION_GROUP_ID, KEY_ARN, OTHER_GROUP_ID, REGION, RESOLVED_INPUTS,
  RESPONDER_ARN, synthesizeRunbooks, VPC_ID,
} from './runbooks-fixture';

const AUTOMATION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/hardened-eks/IncidentResponseAutomation`;
const HUMAN = `arn:aws:iam::${ACCOUNT}:role/IncidentResponder`;
const VPC_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${VPC_ID}`;
const ENI = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0a1b2c3d4e5f60718`;
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0a1b2c3d4e5f60718`;
const TAGGED = { 'aws:ResourceTag/eks:cluster-name': CLUSTER_NAME };
const OTHER_CLUSTER = { 'aws:ResourceTag/eks:cluster-name': 'other' };
const RUN_SHELL_SCRIPT = `arn:aws:ssm:${REGION}::document/AWS-RunShellScript`;

const { template } = synthesizeRunbooks();
const documents = template.findResources('AWS::SSM::Document');
const logicalIds: Record<string, string> = {};
for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, any>)) {
  logicalIds[id] = resource.Type === 'AWS::SSM::Document' ? `${id}Document` : id;
  if (resource.Type === 'AWS::IAM::Role') logicalIds[`${id}.Arn`] = AUTOMATION_ROLE_ARN;
}
const resolve = (value: unknown) => resolveIntrinsics(value, logicalIds);
const documentByStep = Object.fromEntries(Object.entries(documents).map(([id, d]) => [
  (d.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === RUNBOOK_STEP_TAG)!.Value,
  { logicalId: id, name: `${id}Document`, content: resolve(d.Properties.Content) },
]));

function onlyResource(t: Template, type: string): any {
  const found = Object.values(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}
const automationPolicy: PolicyDocument = resolve(onlyResource(template, 'AWS::IAM::Policy').Properties.PolicyDocument);
const responderPolicy: PolicyDocument = resolve(onlyResource(template, 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument);
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
        d.Properties.Tags.some((t: any) => t.Key === RUNBOOK_STEP_TAG && t.Value === runbook.id))!;
      expect(document.Properties).toMatchObject({ DocumentType: 'Automation', DocumentFormat: 'JSON' });
      expect(document.Properties.Name).toBeUndefined();
      expect(document.Properties.Tags).toEqual([{ Key: RUNBOOK_TAG, Value: runbook.irId }, { Key: RUNBOOK_STEP_TAG, Value: runbook.id }]);
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
      const expected = runbook.content({ ...RESOLVED_INPUTS, automationRoleArn: AUTOMATION_ROLE_ARN, avmlSha256: AVML_SHA256 });
      expect(documentByStep[runbook.id].content).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  test('IR-1 asks the responder and returns pods, nodes, instances and roles', () => {
    const { content } = documentByStep.identify;
    expect(content.parameters.Selector.allowedValues).toEqual(expect.arrayContaining(['node', 'deployment', 'label', 'serviceAccount']));
    const invoke = content.mainSteps.find((s: any) => s.action === 'aws:invokeLambdaFunction');
    expect(invoke.inputs.FunctionName).toBe(RESPONDER_ARN);
    expect(content.outputs).toEqual(expect.arrayContaining(['ParseResponse.Pods', 'ParseResponse.NodeNames', 'ParseResponse.InstanceIds', 'ParseResponse.PodRoleArns']));
  });

  test('IR-2/IR-4 send the contract actions; IR-2 node isolation passes only the isolation group', () => {
    expect(JSON.parse(documentByStep['isolate-pod'].content.mainSteps[0].inputs.Payload)).toEqual({ action: 'quarantine-pod', namespace: '{{ Namespace }}', pod: '{{ PodName }}' });
    expect(JSON.stringify(documentByStep['cordon-node'].content)).toContain("'action': 'cordon-node'");
    const isolate = documentByStep['isolate-node'].content.mainSteps[0];
    expect(isolate.inputs.InputPayload.IsolationSecurityGroupId).toBe(ISOLATION_GROUP_ID);
    expect(isolate.inputs.Script).toMatch(/create_tags[\s\S]*modify_network_interface_attribute[\s\S]*Interfaces not isolated/);
  });

  test('IR-3 writes the revoke-older-sessions policy computed at run time', () => {
    const { content } = documentByStep['revoke-role-sessions'];
    const put = content.mainSteps.find((s: any) => s.inputs.Api === 'PutRolePolicy');
    expect(put.inputs).toMatchObject({ Service: 'iam', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: '{{ BuildRevocationPolicy.PolicyDocument }}' });
    expect(content.mainSteps[0].inputs.Script).toMatch(/'DateLessThan': \{'aws:TokenIssueTime': now\}/);
  });

  test('IR-5 sets and asserts termination and scale-in protection', () => {
    const steps = documentByStep['protect-node'].content.mainSteps.map((s: any) => `${s.action} ${s.inputs.Api ?? ''}`);
    expect(steps).toEqual(expect.arrayContaining([
      'aws:executeAwsApi ModifyInstanceAttribute', 'aws:executeAwsApi SetInstanceProtection',
      'aws:assertAwsResourceProperty DescribeInstanceAttribute', 'aws:assertAwsResourceProperty DescribeAutoScalingInstances',
    ]));
  });

  test('IR-6 checks AVML, captures every artifact and uploads with Content-MD5 to presigned URLs', () => {
    const { content } = documentByStep['capture-volatile-artifacts'];
    expect(content.parameters.IncidentId.allowedPattern).toBeDefined();
    expect(content.parameters.AvmlSha256.default).toBe(AVML_SHA256);
    const script: string = content.mainSteps.find((s: any) => s.action === 'aws:runCommand').inputs.Parameters.commands[0];
    for (const command of ['ps auxfww', 'ss -tanp', 'ss -uanp', 'ip addr', 'ip route', 'ctr -n k8s.io containers list', 'ctr -n k8s.io tasks list', 'last', 'lsmod', 'sha256sum', './avml']) {
      expect(script).toContain(command);
    }
    expect(script).toMatch(/sha256sum --check[\s\S]*\|\| fail "AVML SHA-256 mismatch/);
    expect(script).toContain('AvmlSha256 is empty');
    expect(script).toContain('-H "Content-MD5: $md5"');
    expect(script).not.toMatch(/https?:\/\/(?!\$)/);
    const presign = content.mainSteps[0].inputs;
    expect(presign.InputPayload.Bucket).toBe(BUCKET_NAME);
    expect(presign.Script).toContain("'incidents/' + events['IncidentId'] + '/' + events['InstanceId'] + '/'");
    expect(CAPTURED_ARTIFACTS).toContain('manifest.sha256');
    // The memory image goes up in parts below S3's 5 GB single-PUT limit, and the manifest last.
    expect(script).toMatch(/split -b 4G -d -a 2 memory\.lime memory\.lime\.part/);
    expect(CAPTURED_ARTIFACTS.filter((a) => a.startsWith('memory.lime.part'))).toHaveLength(16);
    expect(CAPTURED_ARTIFACTS[CAPTURED_ARTIFACTS.length - 1]).toBe('manifest.sha256');
    expect(content.outputs).toContain('PresignUrls.ArtifactKeys');
  });

  test('RUNBOOKS describes every document and the responder order ends with the node role revocation', () => {
    for (const runbook of RUNBOOKS) {
      const parameters = Object.keys(documentByStep[runbook.id].content.parameters).filter((p) => !['AutomationAssumeRole', 'ClusterName'].includes(p));
      expect(runbook.inputs.map((i) => i.name).sort()).toEqual(parameters.sort());
      expect(runbook.outputs.map((o) => o.name).sort()).toEqual([...documentByStep[runbook.id].content.outputs].sort());
      expect(runbook.order.length).toBeGreaterThan(0);
    }
    expect(RESPONSE_ORDER.map((s) => s.runbook)).toEqual([
      'identify', 'isolate-pod', 'revoke-role-sessions', 'isolate-node', 'cordon-node', 'protect-node', 'capture-volatile-artifacts', 'revoke-role-sessions',
    ]);
    expect(RESPONSE_ORDER.at(-1)!.target).toMatch(/node role/);
  });

  test('the automation role is assumable by SSM Automation of this account only', () => {
    const role = resolve(onlyResource(template, 'AWS::IAM::Role').Properties);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-execution/*` } },
    }]);
  });

  describe('the automation role may do what the runbooks do', () => {
    test.each<[string, string, string, IamRequest['context']?]>([
      ['isolate: the isolation group', 'ec2:ModifyNetworkInterfaceAttribute', `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${ISOLATION_GROUP_ID}`],
      ['isolate: a node interface in the cluster VPC', 'ec2:ModifyNetworkInterfaceAttribute', ENI, { 'ec2:Vpc': VPC_ARN }],
      ['isolate: record the groups on the instance', 'ec2:CreateTags', INSTANCE, { ...TAGGED, 'aws:TagKeys': ['hardened-eks:isolation/eni-0a1b2c3d4e5f60718'] }],
      ['identify / cordon: invoke the responder', 'lambda:InvokeFunction', RESPONDER_ARN],
      ['revoke: a /hardened-eks/ role', 'iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/hardened-eks/NodeRole`],
      ['protect: termination protection', 'ec2:ModifyInstanceAttribute', INSTANCE, TAGGED],
      ['protect: scale-in protection', 'autoscaling:SetInstanceProtection', `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:0a1b2c3d-0000-0000-0000-000000000000:autoScalingGroupName/eks-ng-1`, TAGGED],
      ['capture: on a cluster instance', 'ssm:SendCommand', INSTANCE, TAGGED],
      ['capture: write evidence', 's3:PutObject', `arn:aws:s3:::${BUCKET_NAME}/incidents/INC-42/i-0a1b2c3d4e5f60718/memory.lime`],
      ['capture: read AVML', 's3:GetObject', `arn:aws:s3:::${BUCKET_NAME}/tools/avml`],
      ['capture: encrypt through S3', 'kms:GenerateDataKey', KEY_ARN, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }],
    ])('%s', async (...[, action, resource, context]) => {
      expect(await asAutomation(action, resource, context)).toBe('Allowed');
    });
  });

  // iam-simulate cannot parse the account-less ARN of an AWS-owned document, so this one is read from the policy.
  test('SendCommand documents: AWS-RunShellScript (AWS-owned, no account in its ARN) and nothing else', () => {
    const statements = [automationPolicy.Statement].flat().filter((st: any) => st.Effect === 'Allow' && [st.Action].flat().includes('ssm:SendCommand'));
    const documentResources = statements.flatMap((st: any) => [st.Resource].flat()).filter((r: string) => r.includes(':document/'));
    expect(documentResources).toEqual([RUN_SHELL_SCRIPT]);
  });

  describe('the automation role may not', () => {
    test.each<[string, string, string, IamRequest['context'] | undefined, Decision]>([
      ['delete the cluster', 'eks:DeleteCluster', `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER_NAME}`, undefined, 'ExplicitlyDenied'],
      ['read secrets', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`, undefined, 'ExplicitlyDenied'],
      ['delete evidence', 's3:DeleteObject', `arn:aws:s3:::${BUCKET_NAME}/incidents/INC-42/i-0a1b2c3d4e5f60718/memory.lime`, undefined, 'ExplicitlyDenied'],
      ['shorten retention', 's3:PutObjectRetention', `arn:aws:s3:::${BUCKET_NAME}/incidents/INC-42/x`, undefined, 'ExplicitlyDenied'],
      ['write outside incidents/', 's3:PutObject', `arn:aws:s3:::${BUCKET_NAME}/tools/avml`, undefined, 'ImplicitlyDenied'],
      ['put a policy on a role outside the patterns', 'iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/Admin`, undefined, 'ImplicitlyDenied'],
      ['put a policy on itself', 'iam:PutRolePolicy', AUTOMATION_ROLE_ARN, undefined, 'ExplicitlyDenied'],
      ['pass a role', 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/hardened-eks/NodeRole`, undefined, 'ExplicitlyDenied'],
      ['run a command on an untagged instance', 'ssm:SendCommand', INSTANCE, undefined, 'ImplicitlyDenied'],
      ["run a command on another cluster's instance", 'ssm:SendCommand', INSTANCE, OTHER_CLUSTER, 'ImplicitlyDenied'],
      ['run a document of this account', 'ssm:SendCommand', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/AWS-RunShellScript`, undefined, 'ImplicitlyDenied'],
      ['attach another security group', 'ec2:ModifyNetworkInterfaceAttribute', `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${OTHER_GROUP_ID}`, undefined, 'ImplicitlyDenied'],
      ['change an interface in another VPC', 'ec2:ModifyNetworkInterfaceAttribute', ENI, { 'ec2:Vpc': `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0other000000000000` }, 'ImplicitlyDenied'],
      ['protect an instance of another cluster', 'ec2:ModifyInstanceAttribute', INSTANCE, OTHER_CLUSTER, 'ImplicitlyDenied'],
      ['tag instances with other keys', 'ec2:CreateTags', INSTANCE, { ...TAGGED, 'aws:TagKeys': ['eks:cluster-name'] }, 'ImplicitlyDenied'],
      ['terminate a node', 'ec2:TerminateInstances', INSTANCE, TAGGED, 'ExplicitlyDenied'],
      ['use the key outside S3', 'kms:Decrypt', KEY_ARN, { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` }, 'ImplicitlyDenied'],
    ])('%s', async (...[, action, resource, context, expected]) => {
      expect(await asAutomation(action, resource, context)).toBe(expected);
    });
  });

  describe('IncidentResponderPolicy', () => {
    test('starts exactly these documents', async () => {
      for (const { name } of Object.values(documentByStep)) {
        expect(await asResponder('ssm:StartAutomationExecution', `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/${name}:$DEFAULT`)).toBe('Allowed');
        expect(await asResponder('ssm:StartAutomationExecution', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`)).toBe('Allowed');
      }
      expect(await asResponder('ssm:StartAutomationExecution', `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/AWS-DeleteEKSCluster:$DEFAULT`)).toBe('ImplicitlyDenied');
      expect(await asResponder('ssm:StartAutomationExecution', `arn:aws:ssm:${REGION}:${ACCOUNT}:document/SomeOtherRunbook`)).toBe('ImplicitlyDenied');
    });

    test('passes the automation role to SSM only', async () => {
      expect(await asResponder('iam:PassRole', AUTOMATION_ROLE_ARN, { 'iam:PassedToService': 'ssm.amazonaws.com' })).toBe('Allowed');
      expect(await asResponder('iam:PassRole', AUTOMATION_ROLE_ARN, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe('ImplicitlyDenied');
      expect(await asResponder('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/hardened-eks/NodeRole`, { 'iam:PassedToService': 'ssm.amazonaws.com' })).toBe('ImplicitlyDenied');
    });
  });
});
