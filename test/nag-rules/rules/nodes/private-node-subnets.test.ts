import { PrivateNodeSubnets } from '../../../../nag-rules/rules/nodes/private-node-subnets';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkNodegroup, nodeTemplate, productNodegroup } from './fixtures';

/** The message the product's existing-VPC branch yields (the platform files an exemption for it). */
const EXISTING_VPC =
  "the node subnets from parameter 'ExistingPrivateSubnetIds' cannot be checked at synth time: it depends on subnets outside " +
  'the template (an existing VPC): their route tables and MapPublicIpOnLaunch are not in the template';

describe('NOD-6 PrivateNodeSubnets', () => {
  test('compliant: a private subnet whose default route goes to a NAT gateway', () => {
    expect(checkNodegroup(PrivateNodeSubnets).status).toBe('pass');
  });
  test('non-compliant: the subnet maps public IPs', () => {
    const result = checkNodegroup(PrivateNodeSubnets, (r) => {
      r.Subnet.Properties.MapPublicIpOnLaunch = true;
    });
    expect(result.findings).toEqual([
      { message: 'subnet Subnet maps public IPs on launch (MapPublicIpOnLaunch true)' },
    ]);
  });
  test('non-compliant: the subnet routes 0.0.0.0/0 to an internet gateway', () => {
    const result = checkNodegroup(PrivateNodeSubnets, (r) => {
      r.NatRoute.Properties = {
        RouteTableId: { Ref: 'Table' },
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: { Ref: 'Igw' },
      };
    });
    expect(result.findings).toEqual([
      {
        message:
          'subnet Subnet is public: route NatRoute of route table Table sends the default route to an internet gateway',
      },
    ]);
  });
  test('non-compliant: the launch template associates public IPs; an Auto Scaling group in a public subnet', () => {
    const eni = checkNodegroup(PrivateNodeSubnets, (r) => {
      r.LT.Properties.LaunchTemplateData.NetworkInterfaces = [{ DeviceIndex: 0, AssociatePublicIpAddress: true }];
    });
    expect(eni.findings[0].message).toMatch(/^launch template LT gives nodes a public IP/);
    const asg = nodeTemplate((r) => {
      r.Subnet.Properties.MapPublicIpOnLaunch = 'true';
      r.A = {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: { VPCZoneIdentifier: [{ Ref: 'Subnet' }], LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' } } },
      };
    });
    expect(check(PrivateNodeSubnets, asg, 'A').findings[0].message).toMatch(/maps public IPs/);
  });
  test('both branches of an Fn::If are judged', () => {
    const result = checkNodegroup(PrivateNodeSubnets, (r) => {
      r.Public = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, MapPublicIpOnLaunch: true } };
      r.NG.Properties.Subnets = [{ 'Fn::If': ['C', { Ref: 'Subnet' }, { Ref: 'Public' }] }];
    });
    expect(messages(result)).toEqual(['subnet Public maps public IPs on launch (MapPublicIpOnLaunch true)']);
  });
  test('unresolved: subnets from a parameter (an existing VPC), reported once per parameter', () => {
    const result = checkNodegroup(
      PrivateNodeSubnets,
      (r) => {
        r.NG.Properties.Subnets = [0, 1, 2].map((i) => ({
          'Fn::If': ['CreateVpc', { Ref: 'Subnet' }, { 'Fn::Select': [i, { Ref: 'ExistingPrivateSubnetIds' }] }],
        }));
      },
      { Parameters: { ExistingPrivateSubnetIds: { Type: 'CommaDelimitedList' } } },
    );
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([{ message: EXISTING_VPC, unresolved: true }]);
    const literalId = checkNodegroup(PrivateNodeSubnets, (r) => {
      r.NG.Properties.Subnets = ['subnet-0abc'];
    });
    expect(literalId.findings[0]).toEqual(unresolvedFinding(/^the node subnet 'subnet-0abc'/));
  });
  test('odd input is reported, not thrown', () => {
    const odd = templateOf({
      NG: { Type: 'AWS::EKS::Nodegroup', Properties: { Subnets: 'subnet-1', LaunchTemplate: [] } },
    });
    const result = check(PrivateNodeSubnets, odd, 'NG');
    expect(result.findings.every((f) => !/could not evaluate/.test(f.message))).toBe(true);
    expect(result.status).toBe('fail');
  });
  test('the real product: the created-VPC branch passes; only the existing-VPC branch is unresolved', () => {
    const template = productTemplate();
    const { nodegroup } = productNodegroup(template);
    expect(failures(PrivateNodeSubnets, template).map((e) => [e.logicalId, e.findings])).toEqual([
      [nodegroup, [{ message: EXISTING_VPC, unresolved: true }]],
    ]);
  });
  test('the real product fails on its node group once a node subnet maps public IPs or is routed to the internet gateway', () => {
    const template = productTemplate();
    const { nodegroup } = productNodegroup(template);
    const subnetId = template.Resources[nodegroup].Properties.Subnets[0]['Fn::If'][1].Ref as string;
    template.Resources[subnetId].Properties.MapPublicIpOnLaunch = true;
    const [evaluation] = failures(PrivateNodeSubnets, template);
    expect(evaluation.logicalId).toBe(nodegroup);
    expect(evaluation.findings.filter((f) => !f.unresolved)).toEqual([
      { message: `subnet ${subnetId} maps public IPs on launch (MapPublicIpOnLaunch true)` },
    ]);

    const routed = productTemplate();
    const [routeId] = idsOfType(
      routed,
      'AWS::EC2::Route',
      (r) => r.Properties.NatGatewayId && JSON.stringify(r.Properties.RouteTableId).includes('PrivateSubnet1'),
    );
    const route = routed.Resources[routeId];
    const [igw] = idsOfType(routed, 'AWS::EC2::InternetGateway');
    delete route.Properties.NatGatewayId;
    route.Properties.GatewayId = { Ref: igw };
    expect(
      failures(PrivateNodeSubnets, routed)[0]
        .findings.filter((f) => !f.unresolved)
        .map((f) => f.message),
    ).toEqual([expect.stringMatching(new RegExp(`is public: route ${routeId} of route table`))]);
  });
});
