import { SessionManagerAccess } from '../../../../nag-rules/rules/nodes/session-manager-access';
import { failures, idsOfType, productTemplate } from '../../rule-harness';
import { exactUnresolved, messages, unresolvedFinding } from '../../rule-findings';
import { checkNodegroup, productNodegroup } from './fixtures';

const CHANNELS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

describe('NOD-7 SessionManagerAccess', () => {
  test('compliant: AmazonSSMManagedInstanceCore and an encrypted, logged Session document', () => {
    expect(checkNodegroup(SessionManagerAccess).status).toBe('pass');
  });
  test('compliant: inline channel actions (ssmmessages:*) in a policy attached to the role; S3 logging; YAML content', () => {
    const inline = checkNodegroup(SessionManagerAccess, (r) => {
      delete r.Role.Properties.ManagedPolicyArns;
      r.Policy = {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: ['ssmmessages:*', 'ssm:UpdateInstanceInformation'], Resource: '*' }],
          },
        },
      };
      r.SessionDoc.Properties.Content =
        'schemaVersion: "1.0"\nsessionType: Standard_Stream\ninputs:\n  kmsKeyId: alias/sessions\n  s3BucketName: logs\n  s3EncryptionEnabled: true\n';
    });
    expect(inline.status).toBe('pass');
  });
  test('non-compliant: the node role lacks the channel actions', () => {
    const result = checkNodegroup(SessionManagerAccess, (r) => {
      r.Role.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy'];
    });
    expect(result.findings).toEqual([
      {
        message: `node role Role cannot use Session Manager: it lacks ${CHANNELS.slice(0, -1).join(', ')} and ${CHANNELS[4]} (attach AmazonSSMManagedInstanceCore or grant them)`,
      },
    ]);
  });
  test('non-compliant: no Session document, or one without encryption or logging', () => {
    const none = checkNodegroup(SessionManagerAccess, (r) => {
      delete r.SessionDoc;
    });
    expect(none.findings[0].message).toMatch(/^the template has no Session Manager preferences/);
    const weak = checkNodegroup(SessionManagerAccess, (r) => {
      r.SessionDoc.Properties.Content.inputs = { cloudWatchLogGroupName: 'x', cloudWatchEncryptionEnabled: false };
    });
    expect(messages(weak)).toEqual([
      'Session document SessionDoc does not encrypt sessions (inputs.kmsKeyId is not set)',
      expect.stringMatching(/^Session document SessionDoc does not log sessions encrypted/),
    ]);
  });
  test('unresolved: a node role from a parameter, or logging switched by a parameter', () => {
    const role = checkNodegroup(SessionManagerAccess, (r) => {
      r.NG.Properties.NodeRole = { Ref: 'NodeRoleArn' };
    });
    expect(role.findings).toEqual([
      exactUnresolved("the node role's Session Manager permissions", "parameter or resource 'NodeRoleArn'"),
    ]);
    const logging = checkNodegroup(SessionManagerAccess, (r) => {
      r.SessionDoc.Properties.Content.inputs.cloudWatchEncryptionEnabled = { Ref: 'Encrypt' };
    });
    expect(logging.findings[0]).toEqual(
      unresolvedFinding(/inputs.cloudWatchEncryptionEnabled of Session document SessionDoc/),
    );
  });
  test('the real product passes (inline channel actions on the node role, KMS-encrypted CloudWatch session logs)', () => {
    expect(failures(SessionManagerAccess, productTemplate())).toEqual([]);
  });
  test('the real product fails on its node group once the Session document stops encrypting or the role loses the channels', () => {
    const template = productTemplate();
    const { nodegroup } = productNodegroup(template);
    const [documentId] = idsOfType(template, 'AWS::SSM::Document');
    delete template.Resources[documentId].Properties.Content.inputs.kmsKeyId;
    expect(failures(SessionManagerAccess, template).map((e) => [e.logicalId, messages(e)])).toEqual([
      [nodegroup, [`Session document ${documentId} does not encrypt sessions (inputs.kmsKeyId is not set)`]],
    ]);

    const noChannels = productTemplate();
    for (const policyId of idsOfType(noChannels, 'AWS::IAM::Policy')) {
      const document = noChannels.Resources[policyId].Properties.PolicyDocument;
      document.Statement = document.Statement.filter((s: any) => s.Sid !== 'SessionManagerChannels');
    }
    expect(failures(SessionManagerAccess, noChannels).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [nodegroup, expect.stringMatching(/cannot use Session Manager: it lacks ssm:UpdateInstanceInformation/)],
    ]);
  });
});
