import { KUBECTL_HANDLER_USERNAME } from '../../lib/cluster/hardened-cluster';
import {
  POD_PATCHERS_POLICY,
  QUARANTINE_LABEL_POLICY,
  QUARANTINE_NETWORK_POLICIES_POLICY,
} from '../../lib/kubernetes/admission-policies';
import { DENY_ALL_POLICY, QUARANTINE_LABEL, QUARANTINE_POLICY } from '../../lib/kubernetes/workload-baseline';
import { INCIDENT_RESPONDERS_GROUP } from '../../lib/response/kubernetes-responder';
import { admit, AdmissionRequest, AdmissionUser } from '../../nag-rules/core/admission-policy';
import { changed, networkPolicyChange, podUpdate } from '../../nag-rules/core/admission-requests';
import { appliedKubernetesObjects, validateKubernetesObject } from '../support/kubernetes-objects';
import { defaultSettings, resourcesOfType, synthesizeCatalog } from '../support/project-app';

/*
 * The product's ValidatingAdmissionPolicies, schema-validated and run: each CEL expression is evaluated by a CEL
 * evaluator (@bufbuild/cel) on admission requests a legitimate subject and an attacker would send.
 */

const template = synthesizeCatalog().productJson;
const objects = appliedKubernetesObjects(template).map((o) => o.object);
const admission = objects.filter((o) => /^ValidatingAdmissionPolicy(Binding)?$/.test(o.kind));
const [namespace] = defaultSettings().workloadNamespaces;

const AWS_NODE: AdmissionUser = {
  username: 'system:serviceaccount:kube-system:aws-node',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};
const RESPONDER: AdmissionUser = {
  username: 'arn:aws:sts::111122223333:assumed-role/responder/1700000000',
  groups: [INCIDENT_RESPONDERS_GROUP, 'system:authenticated'],
};
const DEPLOYER: AdmissionUser = { username: KUBECTL_HANDLER_USERNAME, groups: ['system:authenticated'] };
const EDITOR: AdmissionUser = {
  username: 'arn:aws:sts::111122223333:assumed-role/TeamEditor/alice',
  groups: ['system:authenticated'],
};

function pod(ns: string, labels: Record<string, string> = { 'k8s-app': 'kube-proxy' }): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'kube-proxy-x7k2p',
      namespace: ns,
      labels,
      annotations: {},
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: 'u-1' }],
    },
    spec: {
      containers: [
        {
          name: 'kube-proxy',
          image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.36.0',
          securityContext: { privileged: true },
        },
      ],
    },
  };
}

const decide = (request: AdmissionRequest) => {
  const decision = admit(admission, request);
  return decision.outcome === 'denied' ? `denied by ${decision.policy}` : decision.outcome;
};

describe("the product's admission policies", () => {
  test('three ValidatingAdmissionPolicies with a Deny binding each, in one manifest, valid against the Kubernetes schema', () => {
    const policies = admission.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(
      [POD_PATCHERS_POLICY, QUARANTINE_LABEL_POLICY, QUARANTINE_NETWORK_POLICIES_POLICY].sort(),
    );
    for (const policy of policies) {
      expect(policy.spec.failurePolicy).toBe('Fail');
      const bindings = admission.filter(
        (o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.policyName === policy.metadata.name,
      );
      expect(bindings.map((b) => b.spec.validationActions)).toEqual([['Deny']]);
    }
    for (const object of admission) validateKubernetesObject(object);
    const manifests = resourcesOfType(template, 'Custom::AWSCDK-EKS-KubernetesResource').filter(([, r]) =>
      JSON.stringify(r.Properties.Manifest).includes(POD_PATCHERS_POLICY),
    );
    expect(manifests).toHaveLength(1);
  });

  test('the kubectl handler (the deployment) has the username the network-policy policy exempts, and the policies wait for it', () => {
    const handlerEntries = resourcesOfType(template, 'AWS::EKS::AccessEntry').filter(
      ([, e]) => e.Properties.Username === KUBECTL_HANDLER_USERNAME,
    );
    expect(handlerEntries).toHaveLength(1);
    expect(JSON.stringify(handlerEntries[0][1].Properties.AccessPolicies)).toContain('AmazonEKSClusterAdminPolicy');
    const [[manifestId, manifest]] = resourcesOfType(template, 'Custom::AWSCDK-EKS-KubernetesResource').filter(
      ([, r]) => JSON.stringify(r.Properties.Manifest).includes(POD_PATCHERS_POLICY),
    );
    expect(manifest.DependsOn).toContain(handlerEntries[0][0]);
    expect(manifestId).toMatch(/^AdmissionPolicies/);
  });
});

describe(`${POD_PATCHERS_POLICY}: aws-node and the incident responder change pod metadata only`, () => {
  const proxy = pod('kube-system');
  test.each([
    [
      'aws-node annotates the pod IP',
      AWS_NODE,
      changed(proxy, (p) => {
        p.metadata.annotations['vpc.amazonaws.com/pod-ips'] = '10.40.1.7';
      }),
    ],
    [
      'aws-node changes a label',
      AWS_NODE,
      changed(proxy, (p) => {
        p.metadata.labels.team = 'x';
      }),
    ],
    [
      'the responder sets the quarantine label',
      RESPONDER,
      changed(pod(namespace, { app: 'api' }), (p) => {
        p.metadata.labels[QUARANTINE_LABEL] = 'true';
      }),
    ],
    [
      'someone else (RBAC decides) changes the image',
      EDITOR,
      changed(proxy, (p) => {
        p.spec.containers[0].image = 'registry.example/other:1';
      }),
    ],
  ])('allowed: %s', (_, user, after) => {
    const before = after.metadata.namespace === 'kube-system' ? proxy : pod(namespace, { app: 'api' });
    expect(decide(podUpdate(objects, user, before, after))).toBe('allowed');
  });

  test.each([
    [
      'aws-node swaps the image of kube-proxy (privileged, kube-system)',
      AWS_NODE,
      proxy,
      changed(proxy, (p) => {
        p.spec.containers[0].image = 'attacker.example/root:1';
      }),
    ],
    [
      'the responder swaps an image',
      RESPONDER,
      proxy,
      changed(proxy, (p) => {
        p.spec.containers[0].image = 'attacker.example/root:1';
      }),
    ],
    [
      'aws-node adds a toleration',
      AWS_NODE,
      proxy,
      changed(proxy, (p) => {
        p.spec.tolerations = [{ operator: 'Exists' }];
      }),
    ],
    [
      'aws-node drops the owner reference (orphans the pod)',
      AWS_NODE,
      proxy,
      changed(proxy, (p) => {
        delete p.metadata.ownerReferences;
      }),
    ],
    [
      'the responder adds a finalizer',
      RESPONDER,
      proxy,
      changed(proxy, (p) => {
        p.metadata.finalizers = ['x/y'];
      }),
    ],
  ])('refused: %s', (_, user, before, after) => {
    expect(decide(podUpdate(objects, user, before, after))).toBe(`denied by ${POD_PATCHERS_POLICY}`);
  });

  test('refused: an ephemeral (debug) container added through the subresource', () => {
    const after = changed(proxy, (p) => {
      p.spec.ephemeralContainers = [{ name: 'debug', image: 'attacker.example/shell:1' }];
    });
    expect(decide({ ...podUpdate(objects, AWS_NODE, proxy, after), subResource: 'ephemeralcontainers' })).toBe(
      `denied by ${POD_PATCHERS_POLICY}`,
    );
  });
});

describe(`${QUARANTINE_LABEL_POLICY} and ${QUARANTINE_NETWORK_POLICIES_POLICY}: editors cannot lift a quarantine`, () => {
  const quarantined = pod(namespace, { app: 'api', [QUARANTINE_LABEL]: 'true' });
  /** `user` updates the quarantined pod with `change` made to it. */
  const quarantinedPodUpdate = (user: AdmissionUser, change: (pod: any) => void) =>
    podUpdate(objects, user, quarantined, changed(quarantined, change));
  const removeQuarantineLabel = (p: any) => {
    delete p.metadata.labels[QUARANTINE_LABEL];
  };
  const baseline = (name: string) => {
    const found = objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace && o.metadata.name === name,
    );
    expect(found).toBeDefined();
    return found!;
  };
  /** An editor creates the network policy `policy`. */
  const editorCreates = (policy: Record<string, any>) => networkPolicyChange(objects, EDITOR, 'CREATE', null, policy);
  const allowAll = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-web', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
  };
  const allowSkippingQuarantine = changed(allowAll, (p) => {
    p.spec.podSelector = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'DoesNotExist' }],
    };
  });

  test.each([
    [
      'an editor removes the label',
      EDITOR,
      quarantinedPodUpdate(EDITOR, removeQuarantineLabel),
      QUARANTINE_LABEL_POLICY,
    ],
    [
      'an editor sets the label to false',
      EDITOR,
      quarantinedPodUpdate(EDITOR, (p) => {
        p.metadata.labels[QUARANTINE_LABEL] = 'false';
      }),
      QUARANTINE_LABEL_POLICY,
    ],
    [
      'aws-node removes the label',
      AWS_NODE,
      quarantinedPodUpdate(AWS_NODE, removeQuarantineLabel),
      QUARANTINE_LABEL_POLICY,
    ],
    [
      `an editor deletes ${DENY_ALL_POLICY}`,
      EDITOR,
      networkPolicyChange(objects, EDITOR, 'DELETE', baseline(DENY_ALL_POLICY), null),
      QUARANTINE_NETWORK_POLICIES_POLICY,
    ],
    [
      `an editor deletes ${QUARANTINE_POLICY}`,
      EDITOR,
      networkPolicyChange(objects, EDITOR, 'DELETE', baseline(QUARANTINE_POLICY), null),
      QUARANTINE_NETWORK_POLICIES_POLICY,
    ],
    [
      `an editor empties the selector of ${QUARANTINE_POLICY}`,
      EDITOR,
      networkPolicyChange(
        objects,
        EDITOR,
        'UPDATE',
        baseline(QUARANTINE_POLICY),
        changed(baseline(QUARANTINE_POLICY), (p) => {
          p.spec.podSelector = { matchLabels: { none: 'x' } };
        }),
      ),
      QUARANTINE_NETWORK_POLICIES_POLICY,
    ],
    [
      'an editor creates an allow policy that selects every pod',
      EDITOR,
      editorCreates(allowAll),
      QUARANTINE_NETWORK_POLICIES_POLICY,
    ],
  ])('refused: %s', (_, __, request, policy) => {
    expect(decide(request)).toBe(`denied by ${policy}`);
  });

  test.each([
    ['the responder quarantines a pod', podUpdate(objects, RESPONDER, pod(namespace, { app: 'api' }), quarantined)],
    ['the responder lifts a quarantine', quarantinedPodUpdate(RESPONDER, removeQuarantineLabel)],
    [
      'an editor adds another label to a quarantined pod',
      quarantinedPodUpdate(EDITOR, (p) => {
        p.metadata.labels.note = 'investigating';
      }),
    ],
    [
      'an editor changes a label of a pod that is not quarantined',
      podUpdate(objects, EDITOR, pod(namespace, { app: 'api' }), pod(namespace, { app: 'web' })),
    ],
    [
      'the deployment updates the baseline',
      networkPolicyChange(
        objects,
        DEPLOYER,
        'UPDATE',
        baseline(DENY_ALL_POLICY),
        changed(baseline(DENY_ALL_POLICY), (p) => {
          p.metadata.labels = { v: '2' };
        }),
      ),
    ],
    [
      'the deployment deletes the baseline (stack deletion)',
      networkPolicyChange(objects, DEPLOYER, 'DELETE', baseline(QUARANTINE_POLICY), null),
    ],
    ['an editor creates an allow policy that leaves quarantined pods out', editorCreates(allowSkippingQuarantine)],
    [
      'an editor creates a deny-only policy',
      editorCreates(
        changed(allowAll, (p) => {
          delete p.spec.ingress;
        }),
      ),
    ],
    [
      'an editor deletes an allow policy of the team',
      networkPolicyChange(objects, EDITOR, 'DELETE', allowSkippingQuarantine, null),
    ],
    [
      'an editor creates an allow-all policy outside the workload namespaces',
      editorCreates(
        changed(allowAll, (p) => {
          p.metadata.namespace = 'team-sandbox';
        }),
      ),
    ],
  ])('allowed: %s', (_, request) => {
    expect(decide(request)).toBe('allowed');
  });
});
