import { listMembers, literalAt, presentBranchValues } from '../../core/intrinsics';
import { NODE_TYPES, NODEGROUP_TYPE, launchTemplatePropertyFindings } from '../../core/node-launch-templates';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isFalse, isTrue, literal, possibleValues, why } from '../../core/values';

const SUBNET = 'AWS::EC2::Subnet';
const DEFAULT_ROUTES = ['0.0.0.0/0', '::/0'];

/** NOD-6: nodes run only in private subnets (no default route to an internet gateway, no public IPs). */
export const PrivateNodeSubnets: ThreatModelRule = {
  controlId: 'NOD-6',
  threats: ['TH-1', 'EP-2', 'EP-3', 'PV-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Node subnets do not map public IPs on launch and have no 0.0.0.0/0 or ::/0 route to an internet gateway; ' +
    'node launch templates do not associate public IPs',
  explanation:
    'A node with a public IP in a subnet routed to an internet gateway can be reached from the internet on every port ' +
    'its security groups open, including the kubelet (EP-3) and SSH (EP-2): management ports must never face untrusted ' +
    'networks (TH-1, PV-1). Subnets of an existing VPC (parameters) are outside the template and cannot be judged here.',
  resourceTypes: NODE_TYPES,
  evaluate({ model, resource, properties }) {
    const subnets = resource.Type === NODEGROUP_TYPE ? properties.Subnets : properties.VPCZoneIdentifier;
    const findings: RuleFinding[] = [];
    if (subnets === undefined) {
      findings.push({
        message:
          resource.Type === NODEGROUP_TYPE
            ? 'the node group names no Subnets'
            : "the Auto Scaling group names no VPCZoneIdentifier subnets: it would use the default VPC's public subnets",
      });
    }
    const { members, unknown } = listMembers(subnets);
    if (unknown !== undefined) findings.push(subnetsOutside(model, unknown));
    const outside = new Map<string, RuleFinding>();
    for (const member of members) {
      const ref = model.referencedId(member);
      if (ref && model.resource(ref)!.Type === SUBNET) findings.push(...judgeSubnet(model, ref));
      else {
        const finding = ref
          ? unresolved(`subnet ${ref}`, `resource '${ref}', which is not an AWS::EC2::Subnet`)
          : subnetsOutside(model, member);
        outside.set(finding.message, finding);
      }
    }
    findings.push(...outside.values());
    findings.push(
      ...launchTemplatePropertyFindings(model, resource, properties, 'NetworkInterfaces', (value, template) => {
        const interfaces = listMembers(value);
        const problems: RuleFinding[] = [];
        if (interfaces.unknown !== undefined)
          problems.push(unresolved(`NetworkInterfaces of ${template}`, why(interfaces.unknown)));
        for (const eni of interfaces.members) {
          const associate = literalAt(eni, 'AssociatePublicIpAddress');
          if (!associate.known) problems.push(unresolved(`AssociatePublicIpAddress of ${template}`, associate.because));
          else if (isTrue(associate.value))
            problems.push({
              message: `${template} gives nodes a public IP (NetworkInterfaces AssociatePublicIpAddress true)`,
            });
        }
        return problems;
      }),
    );
    return findings.length ? findings : COMPLIANT;
  },
};

/** The finding for subnet IDs that come from outside the template (parameters, imports, literal IDs). */
function subnetsOutside(model: TemplateModel, value: unknown): RuleFinding {
  const parameter = parameterBehind(model, value);
  const because =
    'subnets outside the template (an existing VPC): their route tables and MapPublicIpOnLaunch are not in the template';
  if (parameter) return unresolved(`the node subnets from parameter '${parameter}'`, because);
  const lit = literal(value);
  if (lit.known) return unresolved(`the node subnet '${String(lit.value)}'`, because);
  return unresolved('the node subnets', lit.because);
}

/** The parameter a subnet expression takes its value from (`Ref P`, `Fn::Select [i, Ref P]`, `Fn::Split` of it…). */
function parameterBehind(model: TemplateModel, value: unknown): string | undefined {
  const direct = model.parameterOf(value);
  if (direct) return direct;
  if (!isObject(value)) return undefined;
  const select = value['Fn::Select'];
  if (Array.isArray(select) && select.length === 2) return parameterBehind(model, select[1]);
  const split = value['Fn::Split'];
  if (Array.isArray(split) && split.length === 2) return parameterBehind(model, split[1]);
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2) return parameterBehind(model, join[1]);
  return undefined;
}

/** MapPublicIpOnLaunch off, and no route table of the subnet sends the default route to an internet gateway. */
function judgeSubnet(model: TemplateModel, subnetId: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const subnet = model.resource(subnetId)!.Properties ?? {};
  const mapPublic = literal(subnet.MapPublicIpOnLaunch);
  if (!mapPublic.known) findings.push(unresolved(`MapPublicIpOnLaunch of subnet ${subnetId}`, mapPublic.because));
  else if (isTrue(mapPublic.value))
    findings.push({ message: `subnet ${subnetId} maps public IPs on launch (MapPublicIpOnLaunch true)` });
  else if (mapPublic.value !== undefined && !isFalse(mapPublic.value))
    findings.push({
      message: `subnet ${subnetId} has an unreadable MapPublicIpOnLaunch (${JSON.stringify(mapPublic.value)})`,
    });

  // Without an association, the subnet uses the VPC's main route table, which a template cannot give routes.
  const associations = model.referrersVia(subnetId, 'SubnetId', 'AWS::EC2::SubnetRouteTableAssociation');
  for (const [associationId, association] of associations) {
    for (const table of presentBranchValues(association.Properties?.RouteTableId)) {
      const tableId = model.referencedId(table);
      if (!tableId || model.resource(tableId)!.Type !== 'AWS::EC2::RouteTable') {
        findings.push(unresolved(`the route table of subnet ${subnetId} (association ${associationId})`, why(table)));
        continue;
      }
      findings.push(...judgeRouteTable(model, subnetId, tableId));
    }
  }
  return findings;
}

function judgeRouteTable(model: TemplateModel, subnetId: string, tableId: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const routes = model.referrersVia(tableId, 'RouteTableId', 'AWS::EC2::Route');
  for (const [routeId, route] of routes) {
    const props = route.Properties ?? {};
    if (props.GatewayId === undefined) continue;
    let toGateway: boolean | string = false;
    for (const gateway of presentBranchValues(props.GatewayId)) {
      const ref = model.referencedId(gateway);
      const lit = literal(gateway);
      if (ref) toGateway ||= model.resource(ref)!.Type === 'AWS::EC2::InternetGateway';
      else if (lit.known) toGateway ||= typeof lit.value === 'string' && lit.value.startsWith('igw-');
      else if (toGateway === false) toGateway = lit.because;
    }
    if (toGateway === false) continue;
    const destinations = [props.DestinationCidrBlock, props.DestinationIpv6CidrBlock].filter((d) => d !== undefined);
    let toDefault: boolean | string = false;
    for (const destination of destinations) {
      const values = possibleValues(model, destination);
      if (!values.known) toDefault = toDefault === true ? true : values.because;
      else if (values.value.some((v) => DEFAULT_ROUTES.includes(v.trim()) || /\/0+$/.test(v.trim()))) toDefault = true;
    }
    if (toDefault === false) continue;
    if (toGateway === true && toDefault === true) {
      findings.push({
        message: `subnet ${subnetId} is public: route ${routeId} of route table ${tableId} sends the default route to an internet gateway`,
      });
    } else {
      findings.push(
        unresolved(
          `route ${routeId} of the route table of subnet ${subnetId}`,
          toGateway === true ? String(toDefault) : String(toGateway),
        ),
      );
    }
  }
  return findings;
}
