import { NoSshAccess } from '../../../../nag-rules/rules/nodes/no-ssh-access';
import { failures, productTemplate } from '../../rule-harness';
import { exactUnresolved } from '../../rule-findings';
import { checkNodegroup, productNodegroup } from './fixtures';

describe('NOD-3 NoSshAccess', () => {
  test('compliant: no RemoteAccess and no key pair (an empty KeyName counts as none)', () => {
    expect(checkNodegroup(NoSshAccess).status).toBe('pass');
    expect(
      checkNodegroup(NoSshAccess, (r) => {
        r.LT.Properties.LaunchTemplateData.KeyName = '';
      }).status,
    ).toBe('pass');
  });
  test('non-compliant: RemoteAccess, even restricted to security groups', () => {
    const result = checkNodegroup(NoSshAccess, (r) => {
      r.NG.Properties.RemoteAccess = { Ec2SshKey: 'ops', SourceSecurityGroups: ['sg-1'] };
    });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      { message: 'the node group sets RemoteAccess: EKS opens SSH (port 22) to its nodes' },
    ]);
  });
  test('non-compliant: a key pair in the launch template, literal or a KeyPair of the template', () => {
    const literalKey = checkNodegroup(NoSshAccess, (r) => {
      r.LT.Properties.LaunchTemplateData.KeyName = 'ops';
    });
    expect(literalKey.findings[0].message).toBe(
      "launch template LT sets a key pair (KeyName 'ops'): nodes accept SSH logins",
    );
    const resourceKey = checkNodegroup(NoSshAccess, (r) => {
      r.Kp = { Type: 'AWS::EC2::KeyPair', Properties: { KeyName: 'ops' } };
      r.LT.Properties.LaunchTemplateData.KeyName = { Ref: 'Kp' };
    });
    expect(resourceKey.findings[0].message).toMatch(/KeyName from Kp/);
  });
  test('unresolved: a key name from a parameter', () => {
    const result = checkNodegroup(NoSshAccess, (r) => {
      r.LT.Properties.LaunchTemplateData.KeyName = { Ref: 'KeyName' };
    });
    expect(result.findings).toEqual([
      exactUnresolved('KeyName of launch template LT', "parameter or resource 'KeyName'"),
    ]);
  });
  test('the real product passes, and fails on its node group once a key pair or remote access is added', () => {
    const template = productTemplate();
    expect(failures(NoSshAccess, template)).toEqual([]);
    const { nodegroup, launchTemplate } = productNodegroup(template);
    template.Resources[launchTemplate].Properties.LaunchTemplateData.KeyName = 'break-glass';
    expect(failures(NoSshAccess, template).map((e) => e.logicalId)).toEqual([nodegroup]);
    delete template.Resources[launchTemplate].Properties.LaunchTemplateData.KeyName;
    template.Resources[nodegroup].Properties.RemoteAccess = { Ec2SshKey: 'break-glass' };
    expect(failures(NoSshAccess, template).map((e) => e.findings[0].message)).toEqual([
      expect.stringMatching(/RemoteAccess/),
    ]);
  });
});
