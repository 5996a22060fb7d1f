import { evaluateTemplateFile } from '../../../nag-rules/cli/evaluate-file';
import { TemplateModel } from '../../../nag-rules/core/template-model';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { classifyResources, COMPONENT_KINDS } from '../../../nag-rules/security-view/components';
import { buildOwnership, OwnershipMatrix, renderOwnershipMarkdown } from '../../../nag-rules/security-view/ownership';
import { buildSecurityView } from '../../../nag-rules/security-view/security-view';
import { synthesizeCatalog } from '../../support/project-app';

const ownershipOf = (template: Record<string, any>): OwnershipMatrix =>
  buildOwnership(buildSecurityView('Product', template, evaluateTemplateFile(template, 'Product')));

describe('the ownership matrix of the shipped product', () => {
  const template = synthesizeCatalog().productJson;
  const matrix = ownershipOf(template);

  test('lists every resource of the template in exactly one component, and every component once', () => {
    const listed = matrix.components.flatMap((c) => c.resources);
    expect(listed.filter((id, i) => listed.indexOf(id) !== i)).toEqual([]);
    expect([...listed].sort()).toEqual(Object.keys(template.Resources).sort());
    const components = matrix.components.map((c) => c.component);
    expect(components.filter((id, i) => components.indexOf(id) !== i)).toEqual([]);
  });

  test('gives the control plane to AWS, node groups and add-ons to both, the product to the platform team, workloads and images to the consumer', () => {
    const owner = Object.fromEntries(matrix.components.map((c) => [c.component, c.owner]));
    expect(owner).toMatchObject({
      'control-plane': 'aws',
      'admin-apis': 'aws',
      'node-group': 'shared',
      'add-ons': 'shared',
      registry: 'platform-team',
      'security-groups': 'platform-team',
      workloads: 'consumer-team',
      images: 'consumer-team',
      'workload-identities': 'consumer-team',
    });
    // People and networks around the product are not components of it.
    expect(Object.keys(owner)).not.toEqual(expect.arrayContaining(['internet']));
    expect(Object.keys(owner)).not.toContain('corporate-users');
  });

  test('says which controls each owner runs, process-only controls by their owner', () => {
    const by = Object.fromEntries(matrix.owners.map((o) => [o.owner, o]));
    expect(by.shared.controls.map((m) => m.controlId)).toEqual(
      expect.arrayContaining(['NOD-1', 'NOD-2', 'NOD-5', 'CLU-8']),
    );
    expect(by['consumer-team'].controls.map((m) => m.controlId)).toEqual(
      expect.arrayContaining(['K8S-7', 'K8S-8', 'REG-1', 'IDN-2']),
    );
    expect(by.aws.controls.map((m) => m.controlId)).toContain('CLU-1');
    expect(by['platform-team'].processControls).toEqual(
      CONTROLS.filter((c) => c.processOnly && c.owner === 'platform-team').map((c) => c.id),
    );
    expect(by.aws.processControls).toEqual([]);
  });

  test('the Markdown has a row per component and a row per owner', () => {
    const markdown = renderOwnershipMarkdown(matrix);
    const components = markdown.slice(markdown.indexOf('## Components'), markdown.indexOf('## Controls by owner'));
    expect(components.match(/^\| (?!component|---)/gm)).toHaveLength(matrix.components.length);
    expect(markdown).toMatch(
      /^\| Managed node group \(launch template, node role\) \| Shared \(AWS and the platform team\) \| AWS provisions/m,
    );
    expect(markdown).toMatch(/^\| Consumer team \| Consumer workloads/m);
  });
});

describe('classifying resources', () => {
  test('a helper belongs to the component that uses it; a role nobody uses stays with IAM', () => {
    const kinds = classifyResources(
      new TemplateModel({
        Resources: {
          NodeRole: { Type: 'AWS::IAM::Role', Properties: {} },
          NodePolicy: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'NodeRole' }] } },
          Nodes: { Type: 'AWS::EKS::Nodegroup', Properties: { NodeRole: { 'Fn::GetAtt': ['NodeRole', 'Arn'] } } },
          Lonely: { Type: 'AWS::IAM::Role', Properties: {} },
          Gizmo: { Type: 'Custom::Gizmo', Properties: {} },
        },
      }),
    );
    expect(Object.fromEntries(kinds)).toEqual({
      NodeRole: 'node-group',
      NodePolicy: 'node-group',
      Nodes: 'node-group',
      Lonely: 'iam',
      Gizmo: 'unclassified',
    });
  });

  /** `<tier>Subnet` with its own route table (`<tier>Table`, `<tier>Assoc`) and one route (`<tier>Route`) to `target`. */
  const routedSubnet = (tier: string, target: Record<string, unknown>) => ({
    [`${tier}Subnet`]: { Type: 'AWS::EC2::Subnet', Properties: {} },
    [`${tier}Table`]: { Type: 'AWS::EC2::RouteTable', Properties: {} },
    [`${tier}Assoc`]: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: `${tier}Subnet` }, RouteTableId: { Ref: `${tier}Table` } },
    },
    [`${tier}Route`]: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: `${tier}Table` }, ...target } },
  });

  test('subnets routed to an internet gateway are public, with their routes and NAT gateways; the others private', () => {
    const kinds = classifyResources(
      new TemplateModel({
        Resources: {
          Igw: { Type: 'AWS::EC2::InternetGateway' },
          ...routedSubnet('Public', { GatewayId: { Ref: 'Igw' } }),
          Eip: { Type: 'AWS::EC2::EIP', Properties: {} },
          Nat: {
            Type: 'AWS::EC2::NatGateway',
            Properties: { SubnetId: { Ref: 'PublicSubnet' }, AllocationId: { 'Fn::GetAtt': ['Eip', 'AllocationId'] } },
          },
          ...routedSubnet('Private', { NatGatewayId: { Ref: 'Nat' } }),
        },
      }),
    );
    const tier = (ids: string[]) => ids.map((id) => kinds.get(id));
    expect(tier(['Igw', 'PublicSubnet', 'PublicTable', 'PublicAssoc', 'PublicRoute', 'Eip', 'Nat'])).toEqual(
      Array(7).fill('public-subnets'),
    );
    expect(tier(['PrivateSubnet', 'PrivateTable', 'PrivateAssoc', 'PrivateRoute'])).toEqual(
      Array(4).fill('private-subnets'),
    );
  });

  test('every control a component kind names is a control of the matrix', () => {
    const known = new Set(CONTROLS.map((c) => c.id));
    expect(COMPONENT_KINDS.flatMap((k) => (k.controls ?? []).filter((id) => !known.has(id)))).toEqual([]);
  });
});
