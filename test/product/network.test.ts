import { Match, Template } from 'aws-cdk-lib/assertions';
import { INTERFACE_ENDPOINT_SERVICES } from '../../lib/network/product-network';
import { CONTROL_PLANE_TO_NODE_PORTS } from '../../lib/network/cluster-security-groups';
import { decide } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { defaultConfig, resourcesOfType, synthesizeCatalog } from '../support/project-app';

let template: Record<string, any>;
let product: Template;
beforeAll(() => {
  ({ productJson: template, product } = synthesizeCatalog());
});

const sgId = (prefix: string) => {
  const [id] =
    resourcesOfType(template, 'AWS::EC2::SecurityGroup').find(([logicalId]) => logicalId.startsWith(prefix)) ?? [];
  if (!id) throw new Error(`no security group ${prefix}`);
  return id;
};
/** Every ingress rule, inline or separate, as { group, rule }. */
function ingressRules(): { group: string; rule: Record<string, any> }[] {
  const separate = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => ({
    group: r.Properties.GroupId['Fn::GetAtt']?.[0] ?? JSON.stringify(r.Properties.GroupId),
    rule: r.Properties,
  }));
  const inline = resourcesOfType(template, 'AWS::EC2::SecurityGroup').flatMap(([id, r]) =>
    (r.Properties.SecurityGroupIngress ?? []).map((rule: any) => ({ group: id, rule })),
  );
  return [...separate, ...inline];
}
const peer = (rule: Record<string, any>) =>
  rule.SourceSecurityGroupId?.['Fn::GetAtt']?.[0] ?? rule.CidrIp ?? rule.CidrIpv6;

describe('API endpoint (TH-1, EP-1, PV-1)', () => {
  test('the Kubernetes API endpoint is private only', () => {
    product.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: {
        EndpointPrivateAccess: true,
        EndpointPublicAccess: false,
        PublicAccessCidrs: Match.absent(),
      },
    });
  });
});

describe('security groups (PV-4, EP-2, EP-3)', () => {
  test('the control plane has its own security group, and it is the only one the cluster gets', () => {
    product.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [sgId('SecurityGroupsControlPlane'), 'GroupId'] }] },
    });
  });

  test('the API (443) admits only the node group, the kubectl handler and each corporate range under its condition', () => {
    const rules = ingressRules().filter(({ group }) => group === sgId('SecurityGroupsControlPlane'));
    expect(rules.map(({ rule }) => [rule.IpProtocol, rule.FromPort, rule.ToPort])).toEqual(
      rules.map(() => ['tcp', 443, 443]),
    );
    const peers = rules.map(({ rule }) => peer(rule));
    expect(peers).toEqual(expect.arrayContaining([sgId('SecurityGroupsNodes'), sgId('SecurityGroupsKubectlHandler')]));
    const corporate = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').filter(([id]) =>
      id.includes('CorporateApiAccess'),
    );
    expect(corporate).toHaveLength(
      (defaultConfig().products[0].settings as { corporateCidrs: string[] }).corporateCidrs.length,
    );
    for (const [, r] of corporate) expect(r.Condition).toMatch(/^HasCorporateCidr\d$/);
  });

  test('nodes admit the kubelet and webhook ports only from the control plane, and node-to-node traffic', () => {
    const rules = ingressRules().filter(({ group }) => group === sgId('SecurityGroupsNodes'));
    const fromControlPlane = rules
      .filter(({ rule }) => peer(rule) === sgId('SecurityGroupsControlPlane'))
      .map(({ rule }) => rule.FromPort);
    expect(fromControlPlane.sort()).toEqual([...CONTROL_PLANE_TO_NODE_PORTS].sort());
    const others = rules.filter(({ rule }) => peer(rule) !== sgId('SecurityGroupsControlPlane'));
    expect(others.map(({ rule }) => peer(rule))).toEqual([sgId('SecurityGroupsNodes')]);
  });

  test('nothing anywhere admits port 22 or 0.0.0.0/0', () => {
    const rules = ingressRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const { rule } of rules) {
      expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      expect(rule.CidrIpv6).not.toBe('::/0');
      // All-traffic rules are allowed only between nodes (asserted above); any TCP range must leave out 22.
      if (rule.IpProtocol === 'tcp') expect(rule.FromPort > 22 || rule.ToPort < 22).toBe(true);
    }
  });

  test('security groups start closed: no implicit allow-all egress', () => {
    for (const [id, r] of resourcesOfType(template, 'AWS::EC2::SecurityGroup')) {
      const openEgress = (r.Properties.SecurityGroupEgress ?? []).filter(
        (e: any) => e.IpProtocol === '-1' && e.CidrIp === '0.0.0.0/0',
      );
      expect([id, openEgress]).toEqual([id, []]);
    }
  });

  test('nodes get their security group through the launch template, so EKS does not attach its cluster security group', () => {
    product.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { SecurityGroupIds: [{ 'Fn::GetAtt': [sgId('SecurityGroupsNodes'), 'GroupId'] }] },
    });
    product.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: Match.objectLike({ Id: Match.anyValue() }),
    });
  });
});

describe("VPC (created by default, or the consumer's)", () => {
  test('the VPC and everything in it exist only when VpcMode is CreateVpc', () => {
    const vpcResources = Object.entries(template.Resources as Record<string, any>).filter(([id]) =>
      id.startsWith('NetworkCreated'),
    );
    expect(vpcResources.length).toBeGreaterThan(20);
    for (const [id, r] of vpcResources) expect([id, r.Condition]).toEqual([id, 'CreateVpc']);
    expect(template.Parameters.VpcMode.Default).toBe('CreateVpc');
  });

  test("cluster and nodes use private subnets: the created ones or the consumer's, chosen at launch", () => {
    const subnets = template.Resources[resourcesOfType(template, 'AWS::EKS::Nodegroup')[0][0]].Properties.Subnets;
    expect(subnets).toHaveLength(3);
    subnets.forEach((s: any, i: number) => {
      expect(s['Fn::If'][0]).toBe('CreateVpc');
      expect(s['Fn::If'][1].Ref).toMatch(/^NetworkCreatedVpcPrivateSubnet\d/);
      expect(s['Fn::If'][2]).toEqual({ 'Fn::Select': [i, { Ref: 'ExistingPrivateSubnetIds' }] });
    });
  });

  test('no subnet hands out public IPs', () => {
    for (const [, r] of resourcesOfType(template, 'AWS::EC2::Subnet'))
      expect(r.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('VPC flow logs of all traffic go to a KMS-encrypted log group with retention', () => {
    product.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    const [flowLog] = resourcesOfType(template, 'AWS::EC2::FlowLog');
    const group = template.Resources[flowLog[1].Properties.LogGroupName.Ref];
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.Properties.RetentionInDays).toBe(365);
  });

  test.each(INTERFACE_ENDPOINT_SERVICES)(
    'an interface endpoint for %s with private DNS, reachable only over 443 from the VPC',
    (service) => {
      const endpoint = resourcesOfType(template, 'AWS::EC2::VPCEndpoint').find(([, r]) =>
        JSON.stringify(r.Properties.ServiceName).endsWith(`.${service}"]]}`),
      );
      expect(endpoint).toBeDefined();
      expect(endpoint![1].Properties).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    },
  );
});

describe('S3 gateway endpoint (EX-1)', () => {
  const evaluate = (bucketOrgId: string | undefined, action: string, resource: string) => {
    const [, s3] = resourcesOfType(template, 'AWS::EC2::VPCEndpoint').find(
      ([, r]) => r.Properties.VpcEndpointType === 'Gateway',
    )!;
    const endpointPolicy = resolveIntrinsics(s3.Properties.PolicyDocument);
    return decide(
      {
        identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }],
        vpcEndpointPolicies: [endpointPolicy],
      },
      {
        principalArn: 'arn:aws:iam::111122223333:role/node',
        action,
        resourceArn: resource,
        context: {
          'aws:SourceVpce': 'vpce-0123456789abcdef0',
          ...(bucketOrgId ? { 'aws:ResourceOrgID': bucketOrgId } : {}),
        },
      },
    );
  };

  test("admits the organization's buckets", async () => {
    await expect(evaluate(defaultConfig().organizationId, 's3:PutObject', 'arn:aws:s3:::team-bucket/x')).resolves.toBe(
      'Allowed',
    );
  });
  test('refuses buckets of other organizations (exfiltration)', async () => {
    await expect(evaluate('o-someoneelse1', 's3:PutObject', 'arn:aws:s3:::attacker-bucket/x')).resolves.not.toBe(
      'Allowed',
    );
  });
  test("admits ECR image layers and CloudFormation responses in the region, nothing more of AWS's buckets", async () => {
    await expect(
      evaluate(undefined, 's3:GetObject', 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/layer'),
    ).resolves.toBe('Allowed');
    await expect(
      evaluate(undefined, 's3:PutObject', 'arn:aws:s3:::cloudformation-custom-resource-response-euwest1/r'),
    ).resolves.toBe('Allowed');
    await expect(
      evaluate(undefined, 's3:PutObject', 'arn:aws:s3:::cloudformation-custom-resource-response-useast1/r'),
    ).resolves.not.toBe('Allowed');
    await expect(
      evaluate(undefined, 's3:DeleteObject', 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/layer'),
    ).resolves.not.toBe('Allowed');
  });
});
