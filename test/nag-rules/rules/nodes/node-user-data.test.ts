import { gzipSync } from 'zlib';
import { readUserData, userDataConcerns } from '../../../../nag-rules/core/user-data';
import { EncryptedNodeVolumes } from '../../../../nag-rules/rules/nodes/encrypted-node-volumes';
import { Imdsv2HopLimit } from '../../../../nag-rules/rules/nodes/imdsv2-hop-limit';
import { NodeUserData } from '../../../../nag-rules/rules/nodes/node-user-data';
import { NoSshAccess } from '../../../../nag-rules/rules/nodes/no-ssh-access';
import { PrivateNodeSubnets } from '../../../../nag-rules/rules/nodes/private-node-subnets';
import { check, checkerOf, failures, productTemplate } from '../../rule-harness';
import { exactUnresolved, messages, unresolvedFinding } from '../../rule-findings';
import { checkNodegroup, hardenedLaunchTemplateData, nodeTemplate, productNodegroup } from './fixtures';

const base64 = (text: string) => Buffer.from(text).toString('base64');
/** NodeUserData on the node group `NG` whose launch template has the user data. */
const checkUserData = (userData: unknown) =>
  checkNodegroup(NodeUserData, (r) => {
    r.LT.Properties.LaunchTemplateData.UserData = userData;
  });

/** A MIME multipart archive as EKS merges launch-template user data (the shell part base64-encoded). */
const mime = (...parts: [string, string][]) =>
  [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="==BOUNDARY=="',
    '',
    ...parts.flatMap(([type, body]) => [
      '--==BOUNDARY==',
      `Content-Type: ${type}`,
      'Content-Transfer-Encoding: base64',
      '',
      base64(body),
    ]),
    '--==BOUNDARY==--',
    '',
  ].join('\n');

describe('user data reader', () => {
  test('decodes base64, gzip and MIME multipart, and tells cloud-config from shell', () => {
    const read = readUserData(
      base64(
        mime(
          ['text/x-shellscript', '#!/bin/bash\nsystemctl enable --now sshd\n'],
          ['text/cloud-config', '#cloud-config\nssh_pwauth: true\n'],
        ),
      ),
    );
    expect(read).toEqual({
      ok: true,
      parts: [
        { contentType: 'text/x-shellscript', text: '#!/bin/bash\nsystemctl enable --now sshd\n' },
        { contentType: 'text/cloud-config', text: '#cloud-config\nssh_pwauth: true\n' },
      ],
    });
    const zipped = readUserData(gzipSync('#!/bin/sh\nsystemctl mask amazon-ssm-agent\n').toString('base64'));
    expect(zipped.ok && userDataConcerns(zipped.parts)).toEqual([
      { kind: 'agent', detail: 'stops or disables a security agent' },
    ]);
  });
  test('finds SSH, metadata and agent changes in cloud-config, shell and Bottlerocket settings', () => {
    const concerns = (text: string) => {
      const r = readUserData({ 'Fn::Base64': text });
      return r.ok ? userDataConcerns(r.parts).map((c) => c.kind) : ['unreadable'];
    };
    expect(
      concerns('#cloud-config\nusers:\n  - name: ops\n    ssh_authorized_keys: [ "ssh-ed25519 AAAAC3 ops" ]\n'),
    ).toContain('ssh');
    expect(
      concerns(
        '#cloud-config\nruncmd:\n  - aws ec2 modify-instance-metadata-options --instance-id i-1 --http-tokens optional\n',
      ),
    ).toEqual(['imds']);
    expect(concerns('#!/bin/bash\naws ec2 modify-instance-metadata-options --http-put-response-hop-limit 2\n')).toEqual(
      ['imds'],
    );
    expect(concerns('[settings.host-containers.admin]\nenabled = true\n')).toEqual(['ssh']);
    expect(concerns('#!/bin/bash\nyum remove -y amazon-ssm-agent\n')).toEqual(['agent']);
    expect(
      concerns('#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster --kubelet-extra-args "--node-labels=a=b"\n'),
    ).toEqual([]);
  });
});

describe('NOD-8 NodeUserData', () => {
  test('compliant: no user data, and user data that only bootstraps', () => {
    expect(checkNodegroup(NodeUserData).status).toBe('pass');
    expect(
      checkUserData({ 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\n/etc/eks/bootstrap.sh ${Cluster}\n' } }).status,
    ).toBe('pass');
  });
  test('non-compliant: an SSH daemon in a MIME part, a disabled agent, a reopened metadata service', () => {
    const ssh = checkUserData(base64(mime(['text/x-shellscript', '#!/bin/bash\nsystemctl enable --now sshd\n'])));
    expect(ssh.findings).toEqual([{ message: 'the user data of launch template LT starts or enables the SSH daemon' }]);
    const agent = checkUserData({ 'Fn::Base64': '#!/bin/bash\nsystemctl stop amazon-guardduty-agent\n' });
    expect(agent.findings[0].message).toBe('the user data of launch template LT stops or disables a security agent');
    const imds = checkUserData({
      'Fn::Base64': '#cloud-config\nbootcmd:\n  - iptables -D FORWARD -d 169.254.169.254 -j DROP\n',
    });
    expect(imds.findings[0].message).toMatch(/opens the metadata service/);
  });
  test('unresolved: user data from a parameter, or a launch template data expression', () => {
    const parameter = checkUserData({ 'Fn::Base64': { Ref: 'NodeUserData' } });
    expect(parameter.findings).toEqual([
      exactUnresolved('the user data of launch template LT', "template value 'NodeUserData'"),
    ]);
    const opaque = checkNodegroup(NodeUserData, (r) => {
      r.LT.Properties.LaunchTemplateData = { 'Fn::ImportValue': 'data' };
    });
    expect(opaque.findings.every((f) => f.unresolved)).toBe(true);
    expect(opaque.status).toBe('fail');
  });
  test('the real product passes, and fails on its node group once its launch template starts sshd', () => {
    const template = productTemplate();
    expect(failures(NodeUserData, template)).toEqual([]);
    const { nodegroup, launchTemplate } = productNodegroup(template);
    template.Resources[launchTemplate].Properties.LaunchTemplateData.UserData = base64(
      mime(['text/x-shellscript', '#!/bin/bash\nsystemctl start sshd\n']),
    );
    expect(failures(NodeUserData, template).map((e) => e.logicalId)).toEqual([nodegroup]);
  });
});

describe('self-managed nodes on a launch configuration or a launch template named in the same file', () => {
  const withLaunchConfiguration = (configuration: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    nodeTemplate((r) => {
      r.LC = {
        Type: 'AWS::AutoScaling::LaunchConfiguration',
        Properties: { ImageId: 'ami-1', InstanceType: 'm7i.large', ...configuration },
      };
      r.Asg = {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          MinSize: '1',
          MaxSize: '2',
          VPCZoneIdentifier: [{ Ref: 'Subnet' }],
          LaunchConfigurationName: { Ref: 'LC' },
        },
      };
    }, extra);
  const checkLaunchConfiguration = checkerOf(withLaunchConfiguration, 'Asg');
  const hardened = { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } };
  test("a key pair, a public IP, IMDSv1 and user data of a launch configuration are judged like a launch template's", () => {
    expect(checkLaunchConfiguration(NoSshAccess, hardened).status).toBe('pass');
    expect(checkLaunchConfiguration(NoSshAccess, { ...hardened, KeyName: 'ops' }).findings).toEqual([
      { message: "launch configuration LC sets a key pair (KeyName 'ops'): nodes accept SSH logins" },
    ]);
    expect(
      messages(checkLaunchConfiguration(PrivateNodeSubnets, { ...hardened, AssociatePublicIpAddress: true })),
    ).toContain('launch configuration LC gives nodes a public IP (NetworkInterfaces AssociatePublicIpAddress true)');
    expect(checkLaunchConfiguration(Imdsv2HopLimit, {}).findings[0].message).toMatch(
      /launch configuration LC does not require IMDSv2/,
    );
    expect(
      checkLaunchConfiguration(EncryptedNodeVolumes, {
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: false } }],
      }).findings[0].message,
    ).toMatch(/volume \/dev\/xvda of launch configuration LC is not encrypted/);
    expect(
      checkLaunchConfiguration(NodeUserData, { UserData: { 'Fn::Base64': '#!/bin/bash\nsystemctl enable sshd\n' } })
        .status,
    ).toBe('fail');
  });
  test('a key pair parameter of type AWS::EC2::KeyPair::KeyName is a definite failure, a String parameter unresolved', () => {
    const typed = checkLaunchConfiguration(
      NoSshAccess,
      { ...hardened, KeyName: { Ref: 'SshKey' } },
      { Parameters: { SshKey: { Type: 'AWS::EC2::KeyPair::KeyName' } } },
    );
    expect(typed.findings).toEqual([
      {
        message:
          'launch configuration LC sets a key pair (KeyName from parameter SshKey, of type AWS::EC2::KeyPair::KeyName: a key pair is always set): nodes accept SSH logins',
      },
    ]);
    const plain = checkLaunchConfiguration(
      NoSshAccess,
      { ...hardened, KeyName: { Ref: 'SshKey' } },
      { Parameters: { SshKey: { Type: 'String' } } },
    );
    expect(plain.findings).toEqual([unresolvedFinding()]);
    const joined = checkNodegroup(NoSshAccess, (r) => {
      r.LT.Properties.LaunchTemplateData.KeyName = { 'Fn::Join': ['-', ['break', 'glass']] };
    });
    expect(joined.findings[0].message).toBe(
      "launch template LT sets a key pair (KeyName 'break-glass' via Fn::Join): nodes accept SSH logins",
    );
  });
  test('a launch configuration outside the template is unresolved; a launch template named with the same Fn::Sub is followed', () => {
    const outside = nodeTemplate((r) => {
      r.Asg = {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: { VPCZoneIdentifier: [{ Ref: 'Subnet' }], LaunchConfigurationName: 'legacy-nodes' },
      };
    });
    expect(check(NoSshAccess, outside, 'Asg').findings).toEqual([
      exactUnresolved('the launch configuration', "launch configuration 'legacy-nodes' outside the template"),
    ]);
    const byName = nodeTemplate((r) => {
      const name = { 'Fn::Sub': '${AWS::StackName}-nodes' };
      r.LT.Properties.LaunchTemplateName = name;
      r.LT.Properties.LaunchTemplateData = { ...hardenedLaunchTemplateData(), KeyName: 'ops' };
      r.Asg = {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          VPCZoneIdentifier: [{ Ref: 'Subnet' }],
          LaunchTemplate: { LaunchTemplateName: name, Version: '1' },
        },
      };
    });
    expect(check(NoSshAccess, byName, 'Asg').findings).toEqual([
      { message: "launch template LT sets a key pair (KeyName 'ops'): nodes accept SSH logins" },
    ]);
  });
  test('the real product fails NOD-3 on a self-managed group added with a launch configuration and a key pair', () => {
    const template = productTemplate();
    const { nodegroup } = productNodegroup(template);
    template.Resources.LegacyNodes = {
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: { ImageId: 'ami-1', InstanceType: 'm7i.large', KeyName: 'ops', AssociatePublicIpAddress: true },
    };
    template.Resources.LegacyGroup = {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '1',
        MaxSize: '1',
        VPCZoneIdentifier: template.Resources[nodegroup].Properties.Subnets,
        LaunchConfigurationName: { Ref: 'LegacyNodes' },
      },
    };
    expect(failures(NoSshAccess, template).map((e) => e.logicalId)).toEqual(['LegacyGroup']);
    expect(failures(PrivateNodeSubnets, template).map((e) => e.logicalId)).toContain('LegacyGroup');
  });
});
