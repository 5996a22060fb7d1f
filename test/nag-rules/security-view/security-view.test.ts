import * as fs from 'fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { evaluateTemplateFile } from '../../../nag-rules/cli/evaluate-file';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { ITEMS } from '../../../nag-rules/matrix/threat-model';
import { ALL_RULES } from '../../../nag-rules/rules';
import { COMPONENT_KINDS } from '../../../nag-rules/security-view/components';
import { renderDot } from '../../../nag-rules/security-view/dot';
import { FLOWS } from '../../../nag-rules/security-view/flows';
import { CONTROL_PLACEMENT } from '../../../nag-rules/security-view/placements';
import { renderMermaid } from '../../../nag-rules/security-view/mermaid';
import { buildSecurityView, SecurityView } from '../../../nag-rules/security-view/security-view';
import { renderSvg } from '../../../nag-rules/security-view/svg';
import { BEGIN, END, mermaidBlock, README } from '../../../scripts/update-readme-diagram';
import { ParsedFlowchart, parseMermaid, stopMermaidParser } from '../../support/mermaid';
import { synthesizeCatalog } from '../../support/project-app';
import { idsOfType } from '../rule-harness';

/**
 * The security view of the shipped product, built from its synthesized template and the pack's evaluations of it:
 * drawn as Mermaid (checked with Mermaid's own parser) and as SVG (Graphviz, checked as XML).
 */

afterAll(stopMermaidParser);

const NAME = 'Product';
const product = (): Record<string, any> => synthesizeCatalog().productJson;
const viewOf = (template: Record<string, any>): SecurityView =>
  buildSecurityView(NAME, template, evaluateTemplateFile(template, NAME));

/** Resource types a reviewer must find in the view: what any rule judges, and what the threat model names. */
const SECURITY_RELEVANT_TYPES = new Set([
  ...ALL_RULES.flatMap((r) => r.resourceTypes),
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::Subnet',
  'AWS::EC2::NatGateway',
  'AWS::EC2::InternetGateway',
  'AWS::ECR::Repository',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::SNS::Topic',
  'AWS::Lambda::Function',
  'AWS::SSM::Document',
  'AWS::IAM::Role',
  'AWS::Events::Rule',
]);

const nodeId = (id: string): string => `n_${id.replace(/[^A-Za-z0-9]/g, '_')}`;

/** The SVG's nodes (Graphviz writes each node as `<g class="node"><title>id</title>…`). */
function svgNodeTitles(svg: string): string[] {
  const document = new XMLParser({
    ignoreAttributes: false,
    htmlEntities: true,
    isArray: (name) => name === 'g',
  }).parse(svg);
  const found: string[] = [];
  const walk = (groups: any[] | undefined): void => {
    for (const g of groups ?? []) {
      if (g['@_class'] === 'node') found.push(String(g.title));
      walk(g.g);
    }
  };
  walk(document.svg.g);
  return found;
}

describe('the shipped product', () => {
  let template: Record<string, any>;
  let view: SecurityView;
  let parsed: ParsedFlowchart;
  let svg: string;
  beforeAll(() => {
    template = product();
    view = viewOf(template);
    parsed = parseMermaid(renderMermaid(view));
    svg = renderSvg(renderDot(view));
  }, 60_000);

  test('every security-relevant resource is in a component that both drawings show', () => {
    const relevant = Object.entries(template.Resources as Record<string, { Type: string }>).filter(([, r]) =>
      SECURITY_RELEVANT_TYPES.has(r.Type),
    );
    expect(relevant.length).toBeGreaterThan(100);
    const vertices = new Set(parsed.vertices.map((v) => v.id));
    const svgNodes = new Set(svgNodeTitles(svg));
    const missing = relevant
      .filter(([id]) => {
        const node = view.nodes.find((n) => n.resources.some((r) => r.logicalId === id));
        return !node || !vertices.has(nodeId(node.id)) || !svgNodes.has(node.id);
      })
      .map(([id, r]) => `${id} (${r.Type})`);
    expect(missing).toEqual([]);
  });

  test('the components the threat model names are drawn in their trust boundaries', () => {
    const inBoundary = Object.fromEntries(parsed.subgraphs.flatMap((s) => s.nodes.map((n) => [n, s.id])));
    expect(inBoundary).toMatchObject({
      n_control_plane: 'b_aws_control_plane',
      n_node_group: 'b_cluster',
      n_add_ons: 'b_cluster',
      n_interface_endpoints: 'b_vpc',
      n_gateway_endpoints: 'b_vpc',
      n_public_subnets: 'b_vpc',
      n_private_subnets: 'b_vpc',
      n_responder: 'b_vpc',
      n_registry: 'b_account',
      n_buckets: 'b_account',
      n_keys: 'b_account',
      n_log_groups: 'b_account',
      n_alert_topic: 'b_account',
      n_session_manager: 'b_account',
      n_internet: 'b_internet',
      n_corporate_users: 'b_corporate',
      n_organization_buckets: 'b_other_accounts',
    });
    // Boundaries nest: the cluster inside the VPC inside the account.
    expect(parsed.subgraphs.find((s) => s.id === 'b_vpc')!.nodes).toContain('b_cluster');
    expect(parsed.subgraphs.find((s) => s.id === 'b_account')!.nodes).toContain('b_vpc');
  });

  test('every entry and exfiltration point of the threat model is on a flow, with at least one control', () => {
    const points = Object.keys(ITEMS).filter((id) => /^E[PX]-\d+$/.test(id));
    expect(points).toEqual(['EP-1', 'EP-2', 'EP-3', 'EP-4', 'EX-1', 'EX-2']);
    for (const point of points) {
      const flows = view.flows.filter((f) => f.marks.includes(point));
      expect({ point, flows: flows.length }).toEqual({ point, flows: expect.any(Number) });
      expect(flows.length).toBeGreaterThan(0);
      expect(flows.flatMap((f) => f.controls).length).toBeGreaterThan(0);
      // ...and the drawn edge says so.
      expect(parsed.edges.some((e) => e.text.includes(point) && /[A-Z0-9]+-\d+ [✓✗⚠○–]/.test(e.text))).toBe(true);
    }
  });

  test('every control on a flow or a component is a control of the matrix', () => {
    const known = new Set(CONTROLS.map((c) => c.id));
    const marks = [...view.flows.flatMap((f) => f.controls), ...view.nodes.flatMap((n) => n.controls)];
    expect(marks.filter((m) => !known.has(m.controlId))).toEqual([]);
  });

  test('the Mermaid parses and has a vertex per component and an edge per flow segment', () => {
    expect(parsed.type).toBe('flowchart-v2');
    expect(parsed.vertices.map((v) => v.id).sort()).toEqual(view.nodes.map((n) => nodeId(n.id)).sort());
    expect(parsed.edges).toHaveLength(view.flows.reduce((n, f) => n + (f.via ? 2 : 1), 0));
    expect(parsed.edges.filter((e) => e.stroke === 'dotted').length).toBe(view.flows.filter((f) => f.blocked).length);
  });

  test('the README shows this diagram: the same components and flows (refresh it with npm run readme-diagram)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    const block = mermaidBlock(readme.slice(readme.indexOf(BEGIN), readme.indexOf(END)));
    expect(block).toBeDefined();
    const shown = parseMermaid(block!);
    const ends = (p: ParsedFlowchart) => p.edges.map((e) => `${e.start} -> ${e.end}`).sort();
    expect(shown.vertices.map((v) => v.id).sort()).toEqual(parsed.vertices.map((v) => v.id).sort());
    expect(ends(shown)).toEqual(ends(parsed));
    // A README whose flow starts elsewhere is told apart.
    expect(ends(parseMermaid(block!.replace(/^ {2}n_alarms -->/m, '  n_keys -->')))).not.toEqual(ends(parsed));
  });

  test('the SVG is well-formed XML with a node per component', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svgNodeTitles(svg).sort()).toEqual(view.nodes.map((n) => n.id).sort());
  });
});

test('flows and placements name component kinds and controls that exist', () => {
  const kinds = new Set(COMPONENT_KINDS.map((k) => k.id));
  const controls = new Set(CONTROLS.map((c) => c.id));
  expect(FLOWS.flatMap((f) => [f.from, f.to, ...(f.via ? [f.via] : [])]).filter((k) => !kinds.has(k))).toEqual([]);
  expect(FLOWS.flatMap((f) => f.controls).filter((c) => !controls.has(c))).toEqual([]);
  expect(FLOWS.flatMap((f) => f.marks ?? []).filter((m) => !(m in ITEMS))).toEqual([]);
  expect(
    Object.entries(CONTROL_PLACEMENT).filter(([control, kind]) => !controls.has(control) || !kinds.has(kind)),
  ).toEqual([]);
});

describe('a control removed from the product', () => {
  test('the S3 gateway endpoint without its policy shows NET-5 failing on the S3 flow, in both drawings', () => {
    const template = product();
    const passing = viewOf(template);
    expect(passing.flows.find((f) => f.id === 's3')).toMatchObject({
      status: 'ok',
      controls: expect.arrayContaining([{ controlId: 'NET-5', status: 'pass' }]),
    });

    const [endpoint] = idsOfType(template, 'AWS::EC2::VPCEndpoint', (r) => r.Properties.VpcEndpointType === 'Gateway');
    delete template.Resources[endpoint].Properties.PolicyDocument;
    const view = viewOf(template);
    const flow = view.flows.find((f) => f.id === 's3')!;
    expect(flow).toMatchObject({
      status: 'fail',
      marks: ['EX-1'],
      controls: expect.arrayContaining([{ controlId: 'NET-5', status: 'fail' }]),
    });
    expect(view.nodes.find((n) => n.id === 'gateway-endpoints')).toMatchObject({
      status: 'fail',
      controls: [{ controlId: 'NET-5', status: 'fail' }],
    });

    const mermaid = renderMermaid(view);
    const parsed = parseMermaid(mermaid);
    const index = parsed.edges.findIndex((e) => e.start === 'n_node_group' && e.end === 'n_gateway_endpoints');
    expect(parsed.edges[index].text).toContain('NET-5 ✗');
    const red = mermaid.split('\n').find((l) => l.includes('linkStyle') && l.includes('#c62828'))!;
    expect(red.trim().split(' ')[1].split(',').map(Number)).toContain(index);
    expect(mermaid).toMatch(/class [^\n]*n_gateway_endpoints[^\n]* fail/);
    expect(renderDot(view)).toMatch(/"node-group" -> "gateway-endpoints" \[label="[^"]*NET-5 ✗[^"]*", color="#c62828"/);
  });

  test('a public API endpoint shows CLU-1 failing on the closed internet flow and on the API flow', () => {
    const template = product();
    const cluster = Object.values(template.Resources as Record<string, any>).find(
      (r) => r.Type === 'AWS::EKS::Cluster',
    )!;
    cluster.Properties.ResourcesVpcConfig.EndpointPublicAccess = true;
    const view = viewOf(template);
    for (const id of ['public-api', 'api']) {
      expect(view.flows.find((f) => f.id === id)).toMatchObject({
        status: 'fail',
        controls: expect.arrayContaining([{ controlId: 'CLU-1', status: 'fail' }]),
      });
    }
  });
});

describe('a template the view does not know', () => {
  const cluster = {
    Type: 'AWS::EKS::Cluster',
    Properties: {
      RoleArn: 'arn:aws:iam::111122223333:role/eks',
      ResourcesVpcConfig: { SubnetIds: ['subnet-1'], EndpointPrivateAccess: true, EndpointPublicAccess: false },
    },
  };

  test('a component of unknown type lands in the unclassified group instead of disappearing', () => {
    const view = viewOf({ Resources: { Cluster: cluster, Gizmo: { Type: 'Custom::Gizmo', Properties: {} } } });
    expect(view.nodes.find((n) => n.id === 'unclassified')).toMatchObject({
      boundary: 'unclassified',
      resources: [{ logicalId: 'Gizmo', type: 'Custom::Gizmo' }],
    });
    const parsed = parseMermaid(renderMermaid(view));
    expect(parsed.subgraphs.find((s) => s.id === 'b_unclassified')?.nodes).toEqual(['n_unclassified']);
    expect(svgNodeTitles(renderSvg(renderDot(view)))).toContain('unclassified');
  });

  test('a template of known types has no unclassified group', () => {
    const view = viewOf({ Resources: { Cluster: cluster } });
    expect(view.nodes.map((n) => n.id)).not.toContain('unclassified');
    expect(view.boundaries.map((b) => b.id)).not.toContain('unclassified');
  });

  test('quotes, brackets and hashes in labels are escaped, so Mermaid and Graphviz still read them', () => {
    const base = viewOf({ Resources: { Cluster: cluster } });
    const odd: SecurityView = {
      ...base,
      name: 'odd "name"',
      nodes: base.nodes.map((n) =>
        n.id === 'control-plane' ? { ...n, title: 'a "quoted" <b>#1</b> [x] {y} \\ z' } : n,
      ),
    };
    const parsed = parseMermaid(renderMermaid(odd));
    expect(parsed.vertices.find((v) => v.id === 'n_control_plane')!.text).toContain('quoted');
    expect(XMLValidator.validate(renderSvg(renderDot(odd)))).toBe(true);
  });

  test('the checks tell a broken drawing: Mermaid refuses a dangling edge, the XML check a cut SVG', () => {
    expect(() => parseMermaid('flowchart LR\n  a -->\n')).toThrow(/Mermaid cannot parse the diagram: Parse error/);
    const svg = renderSvg(renderDot(viewOf({ Resources: { Cluster: cluster } })));
    expect(XMLValidator.validate(svg.slice(0, svg.length / 2))).not.toBe(true);
  });

  test('Graphviz errors surface as an error, not as an empty SVG', () => {
    expect(() => renderSvg('digraph { a -> }')).toThrow(/Graphviz could not render the security view/);
  });
});
