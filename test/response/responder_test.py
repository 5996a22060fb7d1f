"""Unit tests of the incident responder Lambda (lib/response/kubernetes-responder/index.py).

kubectl is a fake executable on a temporary directory that answers from a JSON cluster state and records every
argument list it gets, so the real subprocess path (argument lists, --kubeconfig, --output json, errors) runs.
Run: python3 -m unittest discover -s test/response -p 'responder_test.py'
"""

import base64
import importlib.util
import json
import os
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'lib', 'response', 'kubernetes-responder'))
import index

LABEL = 'security.eks-hardened/quarantine'

FAKE_KUBECTL = r'''#!/usr/bin/env python3
import json, os, sys
args = sys.argv[1:]
with open(os.environ['FAKE_KUBE_LOG'], 'a') as log:
    log.write(json.dumps(args) + '\n')
assert args[0] == '--kubeconfig' and args[1] == os.environ['FAKE_KUBECONFIG'], args
assert args[-2:] == ['--output', 'json'], args
args = args[2:-2]
state = json.load(open(os.environ['FAKE_KUBE_STATE']))
if state.get('forbidden'):
    sys.stderr.write('Error from server (Forbidden): nodes is forbidden: User "responder" cannot list resource\n'); sys.exit(1)

def option(name):
    return args[args.index(name) + 1] if name in args else None

def matches(labels, selector):
    for term in selector.split(','):
        if term.startswith('!'):
            ok = term[1:] not in labels
        elif '!=' in term:
            k, v = term.split('!='); ok = labels.get(k) != v
        elif '=' in term:
            k, v = term.replace('==', '=').split('='); ok = labels.get(k) == v
        else:
            ok = term in labels
        if not ok:
            return False
    return True

def pick(kind, namespace):
    return [o for o in state[kind] if namespace is None or o['metadata'].get('namespace') == namespace]

def not_found(kind, name):
    sys.stderr.write(f'Error from server (NotFound): {kind} "{name}" not found\n'); sys.exit(1)

verb, kind = args[0], args[1]
plural = {'node': 'nodes', 'pod': 'pods', 'serviceaccount': 'serviceaccounts', 'deployment': 'deployments'}.get(kind, kind)
state.setdefault('networkpolicies', [])
namespace = None if '--all-namespaces' in args else option('--namespace')
if verb == 'get' and len(args) > 2 and not args[2].startswith('--'):
    found = [o for o in pick(plural, namespace) if o['metadata']['name'] == args[2]]
    if not found: not_found(plural, args[2])
    print(json.dumps(found[0])); sys.exit(0)
if verb == 'get':
    items = pick(plural, namespace)
    if option('--selector'):
        items = [o for o in items if matches(o['metadata'].get('labels') or {}, option('--selector'))]
    if option('--field-selector'):
        field, value = option('--field-selector').split('=')
        key = field.split('.')[1]
        items = [o for o in items if o['spec'].get(key) == value]
    print(json.dumps({'kind': 'List', 'items': items})); sys.exit(0)
if verb == 'patch':
    found = [o for o in pick(plural, namespace) if o['metadata']['name'] == args[2]]
    if not found: not_found(plural, args[2])
    assert option('--type') == 'merge', args
    patch = json.loads(option('--patch'))
    obj = found[0]
    for section, values in patch.items():
        target = obj.setdefault(section, {})
        for k, v in values.items():
            if isinstance(v, dict): target.setdefault(k, {}).update(v)
            else: target[k] = v
    json.dump(state, open(os.environ['FAKE_KUBE_STATE'], 'w'))
    print(json.dumps(obj)); sys.exit(0)
sys.stderr.write(f'fake kubectl cannot {args}\n'); sys.exit(2)
'''

INSTANCE_A, INSTANCE_B = 'i-0123456789abcdef0', 'i-0fedcba9876543210'
NODE_A, NODE_B = 'ip-10-0-1-23.eu-west-1.compute.internal', 'ip-10-0-2-45.eu-west-1.compute.internal'
IRSA_ROLE = 'arn:aws:iam::111122223333:role/api-irsa'
POD_IDENTITY_ROLE = 'arn:aws:iam::111122223333:role/api-pod-identity'
TARGET_ROLE = 'arn:aws:iam::444455556666:role/api-target'


def node(name, instance_id):
    return {'metadata': {'name': name}, 'spec': {'providerID': f'aws:///eu-west-1a/{instance_id}'}}


def pod(namespace, name, node_name, service_account, labels, owner_uid=None, issued_role=None, audiences=()):
    """A pod as EKS admitted it: `issued_role` in AWS_ROLE_ARN (IRSA's webhook), projected tokens for `audiences`."""
    metadata = {'namespace': namespace, 'name': name, 'labels': labels}
    if owner_uid:
        metadata['ownerReferences'] = [{'kind': 'ReplicaSet', 'uid': owner_uid}]
    container = {'name': 'app', 'image': 'app:1'}
    if issued_role:
        container['env'] = [{'name': 'AWS_ROLE_ARN', 'value': issued_role}, {'name': 'AWS_WEB_IDENTITY_TOKEN_FILE', 'value': '/var/run/secrets/eks.amazonaws.com/serviceaccount/token'}]
    spec = {'serviceAccountName': service_account, 'containers': [container], 'volumes': [
        {'name': f'token-{i}', 'projected': {'sources': [{'serviceAccountToken': {'audience': audience, 'path': 'token'}}]}} for i, audience in enumerate(audiences)]}
    if node_name:
        spec['nodeName'] = node_name
    return {'metadata': metadata, 'spec': spec}


API_IDENTITY = {'issued_role': IRSA_ROLE, 'audiences': ('sts.amazonaws.com', 'pods.eks.amazonaws.com')}


def cluster_state():
    return {
        'nodes': [node(NODE_A, INSTANCE_A), node(NODE_B, INSTANCE_B), {'metadata': {'name': 'fargate-x'}, 'spec': {}}],
        'serviceaccounts': [
            {'metadata': {'namespace': 'payments', 'name': 'api', 'annotations': {'eks.amazonaws.com/role-arn': IRSA_ROLE}}},
            {'metadata': {'namespace': 'payments', 'name': 'default'}},
            {'metadata': {'namespace': 'kube-system', 'name': 'aws-node'}},
        ],
        'deployments': [{'metadata': {'namespace': 'payments', 'name': 'api', 'uid': 'dep-1'},
                         'spec': {'selector': {'matchLabels': {'app': 'api'}}}}],
        'replicasets': [
            {'metadata': {'namespace': 'payments', 'name': 'api-7d9c5', 'uid': 'rs-1', 'labels': {'app': 'api'},
                          'ownerReferences': [{'kind': 'Deployment', 'uid': 'dep-1'}]}},
            {'metadata': {'namespace': 'payments', 'name': 'api-rogue', 'uid': 'rs-2', 'labels': {'app': 'api'}}},
        ],
        'networkpolicies': [{'metadata': {'namespace': 'payments', 'name': 'quarantine'}, 'spec': {
            'podSelector': {'matchExpressions': [{'key': LABEL, 'operator': 'Exists'}]}, 'policyTypes': ['Ingress', 'Egress']}}],
        'pods': [
            pod('payments', 'api-7d9c5-x2b4q', NODE_A, 'api', {'app': 'api', 'tier': 'web'}, 'rs-1', **API_IDENTITY),
            pod('payments', 'api-7d9c5-pending', None, 'api', {'app': 'api', 'tier': 'web'}, 'rs-1', **API_IDENTITY),
            pod('payments', 'api-rogue-abcde', NODE_B, 'api', {'app': 'api', 'tier': 'batch'}, 'rs-2', **API_IDENTITY),
            pod('payments', 'worker-1', NODE_B, 'default', {'app': 'worker'}),
            pod('kube-system', 'aws-node-abcde', NODE_A, 'aws-node', {'k8s-app': 'aws-node'}),
        ],
    }


class FakeEks:
    """list (two pages for payments/api) and describe of Pod Identity associations, recording calls."""

    def __init__(self):
        self.calls = []

    def list_pod_identity_associations(self, **kwargs):
        self.calls.append(('list', kwargs))
        assert kwargs['clusterName'] == 'fixture'
        if (kwargs['namespace'], kwargs['serviceAccount']) != ('payments', 'api'):
            return {'associations': []}
        if 'nextToken' not in kwargs:
            return {'associations': [{'associationId': 'a-1'}], 'nextToken': 'page-2'}
        return {'associations': [{'associationId': 'a-2'}]}

    def describe_pod_identity_association(self, **kwargs):
        self.calls.append(('describe', kwargs))
        if kwargs['associationId'] == 'a-1':
            return {'association': {'roleArn': POD_IDENTITY_ROLE}}
        return {'association': {'roleArn': POD_IDENTITY_ROLE, 'targetRoleArn': TARGET_ROLE}}


class ResponderTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        directory = self.directory.name
        kubectl = os.path.join(directory, 'kubectl')
        with open(kubectl, 'w') as file:
            file.write(FAKE_KUBECTL)
        os.chmod(kubectl, os.stat(kubectl).st_mode | stat.S_IEXEC)
        self.state_file = os.path.join(directory, 'state.json')
        self.log_file = os.path.join(directory, 'calls.log')
        self.write_state(cluster_state())
        kubeconfig = os.path.join(directory, 'kubeconfig.json')
        open(kubeconfig, 'w').close()
        environment = {'FAKE_KUBE_STATE': self.state_file, 'FAKE_KUBE_LOG': self.log_file, 'FAKE_KUBECONFIG': kubeconfig}
        for key, value in environment.items():
            os.environ[key] = value
            self.addCleanup(os.environ.pop, key)
        self.kubeconfig_calls = 0

        def make_kubeconfig():
            self.kubeconfig_calls += 1
            return kubeconfig

        self.eks = FakeEks()
        self.responder = index.Responder(index.Kubectl(kubectl, make_kubeconfig), self.eks, 'fixture', LABEL)

    def write_state(self, state):
        with open(self.state_file, 'w') as file:
            json.dump(state, file)

    def read_state(self):
        with open(self.state_file) as file:
            return json.load(file)

    def kubectl_calls(self):
        if not os.path.exists(self.log_file):
            return []
        with open(self.log_file) as file:
            return [json.loads(line)[2:-2] for line in file]

    # identify ---------------------------------------------------------------------------------------------------

    def test_identify_by_node_lists_every_pod_on_it_with_identities(self):
        result = self.responder.handle({'action': 'identify', 'node': NODE_A})
        self.assertEqual(result['action'], 'identify')
        self.assertEqual(result['selector'], {'node': NODE_A})
        self.assertEqual(result['pods'], [
            {'namespace': 'kube-system', 'name': 'aws-node-abcde', 'node': NODE_A, 'instanceId': INSTANCE_A,
             'serviceAccount': 'aws-node', 'irsaRoleArns': [], 'annotatedRoleArn': None, 'podIdentityRoleArns': [], 'tokenAudiences': [],
             'identityMismatches': []},
            {'namespace': 'payments', 'name': 'api-7d9c5-x2b4q', 'node': NODE_A, 'instanceId': INSTANCE_A,
             'serviceAccount': 'api', 'irsaRoleArns': [IRSA_ROLE], 'annotatedRoleArn': IRSA_ROLE,
             'podIdentityRoleArns': sorted([POD_IDENTITY_ROLE, TARGET_ROLE]), 'tokenAudiences': ['pods.eks.amazonaws.com', 'sts.amazonaws.com'],
             'identityMismatches': []},
        ])
        self.assertEqual(result['identityMismatches'], [])
        self.assertEqual(result['nodes'], [{'name': NODE_A, 'instanceId': INSTANCE_A}])
        self.assertEqual(result['instanceIds'], [INSTANCE_A])
        self.assertEqual(result['roleArns'], sorted([IRSA_ROLE, POD_IDENTITY_ROLE, TARGET_ROLE]))
        self.assertIn(['get', 'pods', '--all-namespaces', '--field-selector', f'spec.nodeName={NODE_A}'], self.kubectl_calls())
        self.assertEqual(self.kubeconfig_calls, 1)

    def test_identify_by_instance_id_resolves_the_node(self):
        result = self.responder.handle({'action': 'identify', 'instanceId': INSTANCE_B})
        self.assertEqual(result['nodes'], [{'name': NODE_B, 'instanceId': INSTANCE_B}])
        self.assertEqual([p['name'] for p in result['pods']], ['api-rogue-abcde', 'worker-1'])

    def test_identify_by_deployment_keeps_only_pods_of_its_own_replica_sets(self):
        result = self.responder.handle({'action': 'identify', 'namespace': 'payments', 'deployment': 'api'})
        self.assertEqual([p['name'] for p in result['pods']], ['api-7d9c5-pending', 'api-7d9c5-x2b4q'])
        pending = result['pods'][0]
        self.assertEqual((pending['node'], pending['instanceId']), (None, None))
        self.assertEqual(result['instanceIds'], [INSTANCE_A])
        self.assertIn(['get', 'replicasets', '--namespace', 'payments', '--selector', 'app=api'], self.kubectl_calls())
        # One Pod Identity lookup per service account, paginated.
        self.assertEqual([c[1].get('nextToken') for c in self.eks.calls if c[0] == 'list'], [None, 'page-2'])

    def test_identify_by_label_passes_the_selector_as_one_argument(self):
        result = self.responder.handle({'action': 'identify', 'namespace': 'payments', 'label': 'app=api,tier!=batch'})
        self.assertEqual([p['name'] for p in result['pods']], ['api-7d9c5-pending', 'api-7d9c5-x2b4q'])
        self.assertIn(['get', 'pods', '--namespace', 'payments', '--selector', 'app=api,tier!=batch'], self.kubectl_calls())

    def test_identify_by_service_account(self):
        result = self.responder.handle({'action': 'identify', 'namespace': 'payments', 'serviceAccount': 'default'})
        self.assertEqual([p['name'] for p in result['pods']], ['worker-1'])
        self.assertEqual(result['serviceAccounts'], [{'namespace': 'payments', 'name': 'default', 'annotatedRoleArn': None, 'podIdentityRoleArns': []}])

    # identify: the identity EKS issued, against the annotation editors control ------------------------------------

    def identify_api_pod(self, change_state):
        state = cluster_state()
        change_state(state)
        self.write_state(state)
        result = self.responder.handle({'action': 'identify', 'namespace': 'payments', 'label': 'tier=web'})
        return result, next(p for p in result['pods'] if p['name'] == 'api-7d9c5-x2b4q')

    def test_an_annotation_changed_after_the_pod_started_is_flagged_and_ir3_gets_the_issued_role(self):
        decoy = 'arn:aws:iam::111122223333:role/innocent-bystander'

        def repoint(state):
            state['serviceaccounts'][0]['metadata']['annotations'][index.IRSA_ANNOTATION] = decoy
        result, api = self.identify_api_pod(repoint)
        self.assertEqual((api['irsaRoleArns'], api['annotatedRoleArn']), ([IRSA_ROLE], decoy))
        self.assertIn(IRSA_ROLE, result['roleArns'])
        self.assertNotIn(decoy, result['roleArns'])
        self.assertEqual(api['identityMismatches'], [
            f"the service account's annotation names {decoy}, but EKS gave the pod {IRSA_ROLE} (AWS_ROLE_ARN, fixed when the pod was created): the annotation changed since"])
        self.assertTrue(any(m.startswith(f"payments/api-7d9c5-x2b4q: the service account's annotation names {decoy}") for m in result['identityMismatches']))

    def test_an_annotation_the_pod_never_got_and_a_removed_annotation_are_flagged(self):
        state = cluster_state()
        state['serviceaccounts'][1]['metadata']['annotations'] = {index.IRSA_ANNOTATION: IRSA_ROLE}
        self.write_state(state)
        result = self.responder.handle({'action': 'identify', 'namespace': 'payments', 'serviceAccount': 'default'})
        self.assertEqual(result['roleArns'], [])
        self.assertEqual(result['pods'][0]['identityMismatches'], [
            f"the service account's annotation names {IRSA_ROLE}, but the pod was given no AWS_ROLE_ARN: its credentials do not come from that role "
            '(annotated after the pod started, or the pod opts out)'])

        def remove_annotation(state):
            del state['serviceaccounts'][0]['metadata']['annotations']
        _, api = self.identify_api_pod(remove_annotation)
        self.assertIn(f'EKS gave the pod {IRSA_ROLE} (AWS_ROLE_ARN), but its service account names no role now', api['identityMismatches'])

    def test_pod_identity_is_reported_only_where_the_pod_holds_its_token(self):
        def no_token(state):
            for p in state['pods']:
                p['spec']['volumes'] = [v for v in p['spec']['volumes'] if 'pods.eks' not in json.dumps(v)]
        result, api = self.identify_api_pod(no_token)
        self.assertEqual(api['podIdentityRoleArns'], [])
        self.assertNotIn(POD_IDENTITY_ROLE, result['roleArns'])
        self.assertIn('but the pod has no Pod Identity token (created before the association): it gets those roles only once restarted', api['identityMismatches'][0])

        def token_without_association(state):
            state['pods'].append(pod('payments', 'web-1', NODE_A, 'default', {'tier': 'web'}, audiences=('pods.eks.amazonaws.com',)))
        result, _ = self.identify_api_pod(token_without_association)
        web = next(p for p in result['pods'] if p['name'] == 'web-1')
        self.assertEqual(web['identityMismatches'], [
            'the pod has a Pod Identity token (pods.eks.amazonaws.com), but no Pod Identity association exists now for its service account'])

    def test_a_role_from_a_reference_or_without_a_web_identity_token_is_flagged(self):
        def odd(state):
            api = state['pods'][0]
            api['spec']['containers'].append({'name': 'sidecar', 'env': [{'name': 'AWS_ROLE_ARN', 'valueFrom': {'configMapKeyRef': {'name': 'c', 'key': 'k'}}}]})
            api['spec']['volumes'] = []
        _, api = self.identify_api_pod(odd)
        self.assertIn(f'the pod names {IRSA_ROLE} in AWS_ROLE_ARN but has no projected token for sts.amazonaws.com', api['identityMismatches'])
        self.assertIn('AWS_ROLE_ARN of sidecar comes from a reference, not a value: check the role by hand', api['identityMismatches'])

    def test_identify_of_missing_objects_is_not_found(self):
        for event in [
            {'action': 'identify', 'node': 'ip-10-9-9-9.eu-west-1.compute.internal'},
            {'action': 'identify', 'instanceId': 'i-00000000000000000'},
            {'action': 'identify', 'namespace': 'payments', 'deployment': 'nope'},
            {'action': 'identify', 'namespace': 'payments', 'serviceAccount': 'nope'},
        ]:
            with self.subTest(event=event), self.assertRaises(index.NotFound):
                self.responder.handle(event)

    def test_deployment_selector_expressions_become_a_kubectl_selector(self):
        selector = {'matchLabels': {'app': 'api'}, 'matchExpressions': [
            {'key': 'tier', 'operator': 'In', 'values': ['web', 'edge']}, {'key': 'canary', 'operator': 'DoesNotExist'},
            {'key': 'env', 'operator': 'NotIn', 'values': ['dev']}, {'key': 'team', 'operator': 'Exists'}]}
        self.assertEqual(index._selector_string(selector), 'app=api,tier in (web,edge),!canary,env notin (dev),team')

    # quarantine and cordon --------------------------------------------------------------------------------------

    def test_quarantine_pod_sets_the_label_with_a_merge_patch(self):
        result = self.responder.handle({'action': 'quarantine-pod', 'namespace': 'payments', 'pod': 'api-7d9c5-x2b4q'})
        self.assertEqual(result, {'action': 'quarantine-pod', 'namespace': 'payments', 'pod': 'api-7d9c5-x2b4q', 'node': NODE_A,
                                  'instanceId': INSTANCE_A, 'labels': {'app': 'api', 'tier': 'web', LABEL: 'true'}})
        patch = next(c for c in self.kubectl_calls() if c[0] == 'patch')
        self.assertEqual(patch, ['patch', 'pod', 'api-7d9c5-x2b4q', '--namespace', 'payments', '--type', 'merge',
                                 '--patch', json.dumps({'metadata': {'labels': {LABEL: 'true'}}})])
        stored = next(p for p in self.read_state()['pods'] if p['metadata']['name'] == 'api-7d9c5-x2b4q')
        self.assertEqual(stored['metadata']['labels'][LABEL], 'true')

    def test_quarantine_is_refused_where_no_deny_all_policy_selects_the_label(self):
        # kube-system has no quarantine policy: the label would isolate nothing, so nothing is patched.
        with self.assertRaisesRegex(index.NotFound, 'namespace kube-system has no network policy selecting'):
            self.responder.handle({'action': 'quarantine-pod', 'namespace': 'kube-system', 'pod': 'aws-node-abcde'})
        # A policy that selects the label but still allows egress does not count either.
        state = cluster_state()
        state['networkpolicies'][0]['spec']['egress'] = [{}]
        self.write_state(state)
        with self.assertRaisesRegex(index.NotFound, 'namespace payments has no network policy selecting'):
            self.responder.handle({'action': 'quarantine-pod', 'namespace': 'payments', 'pod': 'api-7d9c5-x2b4q'})

    def test_quarantine_of_a_missing_pod_is_not_found(self):
        with self.assertRaisesRegex(index.NotFound, 'pods "gone" not found'):
            self.responder.handle({'action': 'quarantine-pod', 'namespace': 'payments', 'pod': 'gone'})

    def test_cordon_by_node_name_and_by_instance_id(self):
        self.assertEqual(self.responder.handle({'action': 'cordon-node', 'node': NODE_A}),
                         {'action': 'cordon-node', 'node': NODE_A, 'instanceId': INSTANCE_A, 'unschedulable': True})
        self.assertEqual(self.responder.handle({'action': 'cordon-node', 'instanceId': INSTANCE_B}),
                         {'action': 'cordon-node', 'node': NODE_B, 'instanceId': INSTANCE_B, 'unschedulable': True})
        self.assertEqual([n['spec'].get('unschedulable') for n in self.read_state()['nodes']], [True, True, None])
        self.assertIn(['patch', 'node', NODE_A, '--type', 'merge', '--patch', '{"spec": {"unschedulable": true}}'], self.kubectl_calls())

    def test_kubectl_failure_is_reported_with_its_message(self):
        state = cluster_state()
        state['forbidden'] = True
        self.write_state(state)
        with self.assertRaisesRegex(index.KubectlError, r'exited 1: Error from server \(Forbidden\)'):
            self.responder.handle({'action': 'cordon-node', 'instanceId': INSTANCE_A})

    # bad input --------------------------------------------------------------------------------------------------

    def test_bad_input_is_rejected_before_kubectl_runs(self):
        bad = [
            ('not an object', 'JSON object'),
            ({}, 'unknown action None'),
            ({'action': 'delete-pod', 'namespace': 'payments', 'pod': 'x'}, "unknown action 'delete-pod'"),
            ({'action': 'identify'}, 'exactly one of'),
            ({'action': 'identify', 'node': NODE_A, 'deployment': 'api'}, 'exactly one of'),
            ({'action': 'identify', 'deployment': 'api'}, "'namespace' must be"),
            ({'action': 'identify', 'node': NODE_A, 'namespace': 'payments'}, 'unknown field'),
            ({'action': 'identify', 'node': 'x; rm -rf /'}, 'DNS-1123'),
            ({'action': 'identify', 'node': 'Upper.case'}, 'DNS-1123'),
            ({'action': 'identify', 'namespace': 'pay.ments', 'label': 'app=api'}, 'DNS-1123 label'),
            ({'action': 'identify', 'namespace': 'payments', 'label': 'app=$(id)'}, 'label value'),
            ({'action': 'identify', 'namespace': 'payments', 'label': 'app in (a,b)'}, 'equality-based'),
            ({'action': 'identify', 'namespace': 'payments', 'label': '!app=x'}, "mixes '!'"),
            ({'action': 'identify', 'instanceId': 'i-123'}, 'EC2 instance ID'),
            ({'action': 'quarantine-pod', 'namespace': 'payments'}, "'pod' must be"),
            ({'action': 'quarantine-pod', 'namespace': 'payments', 'pod': 'x', 'force': True}, 'unknown field'),
            ({'action': 'cordon-node', 'node': '-x'}, 'DNS-1123'),
            ({'action': 'cordon-node', 'node': 7}, 'non-empty string'),
        ]
        for event, message in bad:
            with self.subTest(event=event):
                with self.assertRaises(index.InvalidRequest) as raised:
                    self.responder.handle(event)
                self.assertIn(message, str(raised.exception))
        self.assertEqual(self.kubectl_calls(), [])
        self.assertEqual(self.kubeconfig_calls, 0)


def restore_environment(key, previous):
    if previous is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = previous


class FakeClusterApi:
    def __init__(self, error=None):
        self.error = error

    def describe_cluster(self, name):
        if self.error:
            raise self.error
        return {'cluster': {'endpoint': f'https://{name.upper()}.gr7.eu-west-1.eks.amazonaws.com', 'certificateAuthority': {'data': 'Q0EtREFUQQ=='}}}


@unittest.skipUnless(importlib.util.find_spec('botocore'), 'botocore is not installed (the Lambda runtime has it)')
class KubeconfigTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        credentials = {'AWS_ACCESS_KEY_ID': 'AKIAIOSFODNN7EXAMPLE', 'AWS_SECRET_ACCESS_KEY': 'example', 'AWS_SESSION_TOKEN': 'session'}
        for key, value in credentials.items():
            self.addCleanup(restore_environment, key, os.environ.get(key))
            os.environ[key] = value

    def test_kubeconfig_has_the_private_endpoint_and_a_presigned_sts_token_for_the_cluster(self):
        path = index.eks_kubeconfig('fixture', 'eu-west-1', FakeClusterApi(), self.directory.name)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        with open(path) as file:
            config = json.load(file)
        self.assertEqual(config['clusters'][0]['cluster'], {'server': 'https://FIXTURE.gr7.eu-west-1.eks.amazonaws.com', 'certificate-authority-data': 'Q0EtREFUQQ=='})
        token = config['users'][0]['user']['token']
        self.assertTrue(token.startswith('k8s-aws-v1.'))
        url = base64.urlsafe_b64decode(token[len('k8s-aws-v1.'):] + '==').decode()
        self.assertTrue(url.startswith('https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&'))
        self.assertIn('X-Amz-SignedHeaders=host%3Bx-k8s-aws-id', url)
        self.assertIn('X-Amz-Expires=60', url)

    def test_describe_cluster_failure_is_an_aws_api_error(self):
        with self.assertRaisesRegex(index.AwsApiError, 'eks:DescribeCluster fixture: AccessDenied'):
            index.eks_kubeconfig('fixture', 'eu-west-1', FakeClusterApi(RuntimeError('AccessDenied')), self.directory.name)



class KubectlTest(unittest.TestCase):
    def test_close_removes_the_kubeconfig_with_its_token(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = os.path.join(directory.name, 'kubeconfig.json')
        open(path, 'w').close()
        kubectl = index.Kubectl('/bin/true', lambda: path)
        with self.assertRaises(index.KubectlError):
            kubectl.json('get', 'nodes')  # /bin/true prints no JSON
        kubectl.close()
        self.assertFalse(os.path.exists(path))


if __name__ == '__main__':
    unittest.main()
