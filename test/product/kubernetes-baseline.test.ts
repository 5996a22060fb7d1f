import { product } from '../../products/hardened-eks';
import { HardenedEksSettings } from '../../products/hardened-eks/settings';
import { POD_IDENTITY_AGENT, QUARANTINE_LABEL } from '../../lib/kubernetes/workload-baseline';
import { defaultConfig, resourcesOfType, synthesizeCatalog } from '../support/project-app';
import {
  AppliedObject,
  appliedKubernetesObjects,
  HelmRelease,
  helmReleases,
  validateKubernetesObject,
} from '../support/kubernetes-objects';

const KUBERNETES_RESOURCE = 'Custom::AWSCDK-EKS-KubernetesResource';
const HELM_CHART = 'Custom::AWSCDK-EKS-HelmChart';

/** The product settings of the built-in configuration (cheap: no synth), so tests can be generated per namespace. */
function defaultSettings(): HardenedEksSettings {
  const entry = defaultConfig().products.find((p) => p.folder === 'hardened-eks');
  if (!entry) throw new Error('no hardened-eks product in the default configuration');
  return product.parseSettings(entry.settings, 'catalog.products[0].settings');
}

const settings = defaultSettings();
const namespaces = settings.workloadNamespaces;

// ---------------------------------------------------------------------------------------------------------------
// A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics, enough for the baseline's policies).
// ---------------------------------------------------------------------------------------------------------------

type Labels = Record<string, string>;

interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

interface Pod {
  namespace: string;
  labels: Labels;
  ip: string;
}

/** The other end of a connection: a pod (with its namespace's labels) or an address outside the pod network. */
interface Endpoint {
  ip: string;
  pod?: { namespace: string; namespaceLabels: Labels; labels: Labels };
}

interface Connection {
  peer: Endpoint;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
}

/** Label selector semantics: every matchLabels entry and every expression must hold; `{}` selects everything. */
function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (selector === undefined) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator as string}`);
    }
  });
  return byLabel && byExpression;
}

function ipToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  const n = ipToNumber(ip);
  return n >= start && n < start + size;
}

function peerMatches(peer: Record<string, any>, policyNamespace: string, endpoint: Endpoint): boolean {
  if (peer.ipBlock) {
    return (
      inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(endpoint.ip, c))
    );
  }
  const pod = endpoint.pod;
  if (!pod) return false;
  const namespaceOk =
    peer.namespaceSelector !== undefined
      ? selects(peer.namespaceSelector, pod.namespaceLabels)
      : pod.namespace === policyNamespace;
  const podOk = peer.podSelector !== undefined ? selects(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(ports: Record<string, any>[] | undefined, connection: Connection): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== connection.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== 'number') throw new Error(`named port ${p.port} is not supported by the evaluator`);
    return connection.port >= p.port && connection.port <= (p.endPort ?? p.port);
  });
}

/**
 * Whether `pod` may open `connection` (egress) or accept it (ingress), given all NetworkPolicies of the pod's
 * namespace: a pod selected by no policy of that direction is not isolated; otherwise the connection must match a
 * rule of some policy that selects the pod and lists the direction in its policyTypes.
 */
function allowed(
  policies: Record<string, any>[],
  pod: Pod,
  direction: 'Ingress' | 'Egress',
  connection: Connection,
): boolean {
  const applicable = policies.filter(
    (p) =>
      p.metadata.namespace === pod.namespace &&
      (p.spec.policyTypes ?? ['Ingress']).includes(direction) &&
      selects(p.spec.podSelector, pod.labels),
  );
  if (applicable.length === 0) return true;
  return applicable.some((p) => {
    const rules: Record<string, any>[] = (direction === 'Egress' ? p.spec.egress : p.spec.ingress) ?? [];
    const peersKey = direction === 'Egress' ? 'to' : 'from';
    return rules.some((rule) => {
      const peers: Record<string, any>[] | undefined = rule[peersKey];
      const peerOk =
        peers === undefined ||
        peers.length === 0 ||
        peers.some((peer) => peerMatches(peer, p.metadata.namespace, connection.peer));
      return peerOk && portMatches(rule.ports, connection);
    });
  });
}

// Fixtures for the semantic checks.
/** A pod at `ip` in `namespace` (with the name label Kubernetes puts on every namespace), labelled `labels`. */
const podAt = (ip: string, namespace: string, labels: Labels): Endpoint => ({
  ip,
  pod: { namespace, namespaceLabels: { 'kubernetes.io/metadata.name': namespace }, labels },
});
const KUBE_DNS = podAt('10.40.12.34', 'kube-system', { 'k8s-app': 'kube-dns' });
const OTHER_KUBE_SYSTEM_POD = podAt('10.40.12.35', 'kube-system', { 'k8s-app': 'metrics-server' });
const POD_IDENTITY: Endpoint = { ip: POD_IDENTITY_AGENT.cidr.split('/')[0] };
const INSTANCE_METADATA: Endpoint = { ip: '169.254.169.254' };
const INTERNET: Endpoint = { ip: '203.0.113.10' };
const samePodNamespace = (ns: string, labels: Labels = { app: 'web' }) => podAt('10.40.20.20', ns, labels);

// ---------------------------------------------------------------------------------------------------------------

describe('Kubernetes baseline of the hardened EKS product', () => {
  let template: Record<string, any>;
  let objects: AppliedObject[];
  let releases: HelmRelease[];

  beforeAll(() => {
    template = synthesizeCatalog().productJson;
    objects = appliedKubernetesObjects(template);
    releases = helmReleases(template);
  });

  const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind);
  const networkPolicies = (ns: string) => ofKind('NetworkPolicy').filter((o) => o.object.metadata.namespace === ns);
  const networkPolicy = (ns: string, name: string) => {
    const found = networkPolicies(ns).filter((o) => o.object.metadata.name === name);
    expect(found).toHaveLength(1);
    return found[0].object;
  };

  test('applies Kubernetes objects, and every one validates against its schema', () => {
    expect(resourcesOfType(template, KUBERNETES_RESOURCE).length).toBeGreaterThan(0);
    // Every manifest resource contributes at least one object.
    const idsWithObjects = new Set(objects.map((o) => o.logicalId));
    for (const [id] of resourcesOfType(template, KUBERNETES_RESOURCE)) expect(idsWithObjects).toContain(id);
    for (const { object } of objects) expect(() => validateKubernetesObject(object)).not.toThrow();
  });

  test('the configuration has workload namespaces', () => {
    expect(namespaces.length).toBeGreaterThan(0);
  });

  describe.each(namespaces)('workload namespace %s', (ns) => {
    test('is applied with Pod Security Admission restricted enforced, audited and warned', () => {
      const found = ofKind('Namespace').filter((o) => o.object.metadata.name === ns);
      expect(found).toHaveLength(1);
      expect(found[0].object.metadata.labels).toEqual(
        expect.objectContaining({
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        }),
      );
    });

    test('its default ServiceAccount does not automount a token and is applied with Overwrite', () => {
      const found = ofKind('ServiceAccount').filter(
        (o) => o.object.metadata.name === 'default' && o.object.metadata.namespace === ns,
      );
      expect(found).toHaveLength(1);
      expect(found[0].object.automountServiceAccountToken).toBe(false);
      // The account exists as soon as the namespace does: without Overwrite, `kubectl create` would fail.
      expect(template.Resources[found[0].logicalId].Properties.Overwrite).toBe(true);
    });

    test('has a default deny of ingress and egress for all pods', () => {
      const denyAll = networkPolicies(ns)
        .map((o) => o.object)
        .filter(
          (p) =>
            Object.keys(p.spec.podSelector).length === 0 &&
            [...p.spec.policyTypes].sort().join() === 'Egress,Ingress' &&
            (p.spec.ingress ?? []).length === 0 &&
            (p.spec.egress ?? []).length === 0,
        );
      expect(denyAll).toHaveLength(1);
    });

    test('allows DNS egress to kube-dns in kube-system on UDP and TCP 53, only for pods that are not quarantined', () => {
      const dns = networkPolicy(ns, 'allow-dns-egress');
      expect(dns.spec.podSelector).toEqual({ matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'DoesNotExist' }] });
      expect(dns.spec.policyTypes).toEqual(['Egress']);
      expect(dns.spec.ingress).toBeUndefined();
      expect(dns.spec.egress).toEqual([
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: expect.arrayContaining([
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ]),
        },
      ]);
      expect(dns.spec.egress[0].ports).toHaveLength(2);
    });

    test('allows Pod Identity agent egress (169.254.170.23/32 TCP 80) only for pods that are not quarantined', () => {
      const agent = networkPolicy(ns, 'allow-pod-identity-agent-egress');
      expect(agent.spec.podSelector).toEqual({
        matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'DoesNotExist' }],
      });
      expect(agent.spec.policyTypes).toEqual(['Egress']);
      expect(agent.spec.egress).toEqual([
        { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
      ]);
    });

    test('has a quarantine policy: pods with the quarantine label, both policy types, no allow rules', () => {
      const quarantine = networkPolicies(ns)
        .map((o) => o.object)
        .filter((p) =>
          (p.spec.podSelector.matchExpressions ?? []).some(
            (e: any) => e.key === QUARANTINE_LABEL && e.operator === 'Exists',
          ),
        );
      expect(quarantine).toHaveLength(1);
      expect(quarantine[0].spec.podSelector).toEqual({
        matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'Exists' }],
      });
      expect([...quarantine[0].spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
      expect(quarantine[0].spec.ingress ?? []).toEqual([]);
      expect(quarantine[0].spec.egress ?? []).toEqual([]);
    });

    test('isolation, evaluated: a normal pod may reach DNS and the Pod Identity agent only', () => {
      const policies = networkPolicies(ns).map((o) => o.object);
      const pod: Pod = { namespace: ns, labels: { app: 'web' }, ip: '10.40.20.10' };
      const egress = (peer: Endpoint, protocol: Connection['protocol'], port: number) =>
        allowed(policies, pod, 'Egress', { peer, protocol, port });

      expect(egress(KUBE_DNS, 'UDP', 53)).toBe(true);
      expect(egress(KUBE_DNS, 'TCP', 53)).toBe(true);
      expect(egress(POD_IDENTITY, 'TCP', 80)).toBe(true);

      expect(egress(KUBE_DNS, 'TCP', 80)).toBe(false);
      expect(egress(KUBE_DNS, 'UDP', 5353)).toBe(false);
      expect(egress(OTHER_KUBE_SYSTEM_POD, 'UDP', 53)).toBe(false);
      expect(egress(POD_IDENTITY, 'TCP', 443)).toBe(false);
      expect(egress(INSTANCE_METADATA, 'TCP', 80)).toBe(false);
      expect(egress(INTERNET, 'TCP', 443)).toBe(false);
      expect(egress(INTERNET, 'UDP', 53)).toBe(false);
      expect(egress(samePodNamespace(ns), 'TCP', 8080)).toBe(false);
      expect(allowed(policies, pod, 'Ingress', { peer: samePodNamespace(ns), protocol: 'TCP', port: 8080 })).toBe(
        false,
      );
      expect(allowed(policies, pod, 'Ingress', { peer: INTERNET, protocol: 'TCP', port: 443 })).toBe(false);
    });

    test('isolation, evaluated: a quarantined pod may reach nothing and be reached by nothing', () => {
      const policies = networkPolicies(ns).map((o) => o.object);
      for (const value of ['true', '', 'incident-42']) {
        const pod: Pod = { namespace: ns, labels: { app: 'web', [QUARANTINE_LABEL]: value }, ip: '10.40.20.11' };
        const peers = [
          KUBE_DNS,
          OTHER_KUBE_SYSTEM_POD,
          POD_IDENTITY,
          INSTANCE_METADATA,
          INTERNET,
          samePodNamespace(ns),
        ];
        for (const peer of peers) {
          for (const [protocol, port] of [
            ['UDP', 53],
            ['TCP', 53],
            ['TCP', 80],
            ['TCP', 443],
          ] as const) {
            expect(allowed(policies, pod, 'Egress', { peer, protocol, port })).toBe(false);
            expect(allowed(policies, pod, 'Ingress', { peer, protocol, port })).toBe(false);
          }
        }
      }
    });

    test('the network policies are applied after the Calico chart', () => {
      const calico = releases.find((r) => r.chart === 'tigera-operator');
      expect(calico).toBeDefined();
      const policyResources = [...new Set(networkPolicies(ns).map((o) => o.logicalId))];
      expect(policyResources.length).toBeGreaterThan(0);
      for (const id of policyResources) expect(dependsOnClosure(template, id)).toContain(calico!.logicalId);
    });
  });

  test('the evaluator agrees with Kubernetes on the empty and the unselected cases', () => {
    // A sanity check of the evaluator itself, so its verdicts above mean something.
    const pod: Pod = { namespace: 'x', labels: {}, ip: '10.0.0.1' };
    expect(allowed([], pod, 'Egress', { peer: INTERNET, protocol: 'TCP', port: 443 })).toBe(true);
    const ingressOnly = { metadata: { namespace: 'x', name: 'i' }, spec: { podSelector: {} } };
    expect(allowed([ingressOnly], pod, 'Egress', { peer: INTERNET, protocol: 'TCP', port: 443 })).toBe(true);
    expect(allowed([ingressOnly], pod, 'Ingress', { peer: INTERNET, protocol: 'TCP', port: 443 })).toBe(false);
    const allowAllEgress = {
      metadata: { namespace: 'x', name: 'e' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{}] },
    };
    expect(allowed([allowAllEgress], pod, 'Egress', { peer: INTERNET, protocol: 'UDP', port: 1 })).toBe(true);
  });

  test('no ClusterRoleBinding or RoleBinding anywhere binds cluster-admin', () => {
    const bindings = objects.filter((o) => o.object.kind === 'ClusterRoleBinding' || o.object.kind === 'RoleBinding');
    expect(bindings.length).toBeGreaterThan(0);
    for (const { object } of bindings) expect(object.roleRef.name).not.toBe('cluster-admin');
    // Nor is a ClusterRole applied that would shadow or grant wildcard powers.
    for (const { object } of ofKind('ClusterRole').concat(ofKind('Role'))) {
      for (const rule of object.rules ?? []) {
        expect(rule.verbs).not.toContain('*');
        expect(rule.resources ?? []).not.toContain('*');
      }
    }
  });

  test("the ClusterRoles are the aws-node pod patcher and the incident responder's (tested in incident-response)", () => {
    expect(
      ofKind('ClusterRole')
        .map((r) => r.object.metadata.name)
        .sort(),
    ).toEqual(['aws-node-annotate-pod-ip', 'hardened-eks-incident-responder']);
  });

  test('the aws-node ClusterRole grants patch on pods, bound to the aws-node service account only', () => {
    const clusterRoles = ofKind('ClusterRole').filter((r) => r.object.metadata.name === 'aws-node-annotate-pod-ip');
    expect(clusterRoles).toHaveLength(1);
    const role = clusterRoles[0].object;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['patch'] }]);
    expect(ofKind('Role')).toHaveLength(0);

    const bindings = objects
      .map((o) => o.object)
      .filter(
        (o) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') && o.roleRef.name === role.metadata.name,
      );
    expect(bindings).toHaveLength(1);
    expect(bindings[0].kind).toBe('ClusterRoleBinding');
    expect(bindings[0].roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(bindings[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'aws-node', namespace: 'kube-system' }]);
  });

  test('Calico is installed by the tigera-operator chart at a pinned v3.31 version, policy-only on the VPC CNI', () => {
    const calico = releases.filter((r) => r.chart === 'tigera-operator');
    expect(calico).toHaveLength(1);
    expect(resourcesOfType(template, HELM_CHART).map(([id]) => id)).toContain(calico[0].logicalId);
    expect(calico[0].version).toMatch(/^v3\.31\.\d+$/);
    expect(calico[0].namespace).toBe('tigera-operator');
    expect(calico[0].values.installation.kubernetesProvider).toBe('EKS');
    expect(calico[0].values.installation.cni.type).toBe('AmazonVPC');
    expect(calico[0].values.installation.calicoNetwork.bgp).toBe('Disabled');
  });

  test('the VPC CNI add-on leaves policy enforcement to Calico and annotates pod IPs', () => {
    const addons = resourcesOfType(template, 'AWS::EKS::Addon').filter(([, r]) => r.Properties.AddonName === 'vpc-cni');
    expect(addons).toHaveLength(1);
    const raw = addons[0][1].Properties.ConfigurationValues;
    expect(typeof raw).toBe('string');
    const configuration = JSON.parse(raw);
    expect(configuration.enableNetworkPolicy).toBe('false');
    expect(configuration.env.ANNOTATE_POD_IP).toBe('true');
  });
});

/** Every resource a resource waits for, through DependsOn, transitively. */
function dependsOnClosure(template: Record<string, any>, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const dep of [template.Resources[id]?.DependsOn ?? []].flat() as string[]) {
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return seen;
}
