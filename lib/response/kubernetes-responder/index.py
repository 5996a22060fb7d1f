"""Incident-response actions on a private EKS cluster (IR-1 identify, IR-2 quarantine a pod, IR-4 cordon a node).

IR-1 reports the identity EKS issued each pod, not what its service account's annotation says now (namespace editors
control the annotation): the AWS_ROLE_ARN its containers were given at creation with the projected token's audience
(IRSA), and the Pod Identity associations of its service account (EKS API) when it holds a Pod Identity token. Every
disagreement with the annotation is listed in identityMismatches.

Runs inside the VPC next to the private API endpoint. kubectl comes from the kubectl Lambda layer; the API token
is made in-process with botocore (a presigned STS GetCallerIdentity, as `aws eks get-token` does), so nothing is
downloaded at incident time. kubectl is always run with an argument list, never through a shell.

Event: {"action": "identify" | "quarantine-pod" | "cordon-node", ...}; the response is a JSON object repeating
"action". Errors are raised, so the invocation fails with the exception's class (InvalidRequest, NotFound,
KubectlError, AwsApiError) as errorType and a message that says what was wrong.
"""

import base64
import json
import os
import re
import subprocess
import tempfile

KUBECTL_TIMEOUT_SECONDS = 60
IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn'
# What EKS gives a pod at creation: IRSA's webhook sets AWS_ROLE_ARN and mounts a token for sts.amazonaws.com; Pod
# Identity mounts a token for pods.eks.amazonaws.com, which its agent exchanges for the association's role.
WEB_IDENTITY_ROLE_ENV = 'AWS_ROLE_ARN'
STS_AUDIENCE = 'sts.amazonaws.com'
POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com'

_DNS1123_LABEL = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')
_DNS1123_SUBDOMAIN = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
_LABEL_NAME = re.compile(r'^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$')
_INSTANCE_ID = re.compile(r'^i-[0-9a-f]{8}([0-9a-f]{9})?$')
_SELECTOR_TERM = re.compile(r'^(?P<negated>!)?(?P<key>[^=!]+)(?:(?P<operator>==|=|!=)(?P<value>[^=!]*))?$')


class InvalidRequest(Exception):
    """The event is malformed: unknown action or field, missing field, bad name syntax."""


class NotFound(Exception):
    """The named Kubernetes object or instance does not exist."""


class KubectlError(Exception):
    """kubectl failed (e.g. Forbidden, API unreachable)."""


class AwsApiError(Exception):
    """An AWS API call (EKS) failed."""


# ---------------------------------------------------------------------------------------------------------------
# Input validation


def _require_string(event, field):
    value = event.get(field)
    if not isinstance(value, str) or value == '':
        raise InvalidRequest(f"'{field}' must be a non-empty string")
    return value


def _namespace(event):
    value = _require_string(event, 'namespace')
    if len(value) > 63 or not _DNS1123_LABEL.match(value):
        raise InvalidRequest(f"'namespace' {value!r} is not a Kubernetes namespace name (DNS-1123 label)")
    return value


def _object_name(event, field):
    value = _require_string(event, field)
    if len(value) > 253 or not _DNS1123_SUBDOMAIN.match(value):
        raise InvalidRequest(f"'{field}' {value!r} is not a Kubernetes object name (DNS-1123 subdomain)")
    return value


def _instance_id(event):
    value = _require_string(event, 'instanceId')
    if not _INSTANCE_ID.match(value):
        raise InvalidRequest(f"'instanceId' {value!r} is not an EC2 instance ID (i- and 8 or 17 hex digits)")
    return value


def _label_key_is_valid(key):
    prefix, _, name = key.rpartition('/')
    if '/' in key and (prefix == '' or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return False
    return len(name) <= 63 and bool(_LABEL_NAME.match(name))


def _label_selector(event):
    """Equality-based selectors only: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated."""
    value = _require_string(event, 'label')
    for term in value.split(','):
        match = _SELECTOR_TERM.match(term)
        if not match or not _label_key_is_valid(match['key']):
            raise InvalidRequest(f"'label' {value!r}: {term!r} is not an equality-based label selector term")
        if match['negated'] and match['operator']:
            raise InvalidRequest(f"'label' {value!r}: {term!r} mixes '!' with an operator")
        label_value = match['value']
        if label_value and (len(label_value) > 63 or not _LABEL_NAME.match(label_value)):
            raise InvalidRequest(f"'label' {value!r}: {label_value!r} is not a label value")
    return value


def _only_fields(event, allowed):
    unknown = sorted(set(event) - set(allowed) - {'action'})
    if unknown:
        raise InvalidRequest(f"unknown field(s) for action {event['action']!r}: {', '.join(unknown)}")


def _exactly_one(event, fields):
    present = [f for f in fields if f in event]
    if len(present) != 1:
        raise InvalidRequest(f"give exactly one of {', '.join(fields)} (got {', '.join(present) or 'none'})")
    return present[0]


# ---------------------------------------------------------------------------------------------------------------
# kubectl


class Kubectl:
    """Runs kubectl with an argument list against one cluster; `kubeconfig` is called once, on first use."""

    def __init__(self, executable, kubeconfig):
        self._executable = executable
        self._kubeconfig_factory = kubeconfig
        self._kubeconfig = None

    def close(self):
        """Removes the kubeconfig (it holds a token) so a warm sandbox does not keep it."""
        if self._kubeconfig is not None:
            os.remove(self._kubeconfig)
            self._kubeconfig = None

    def json(self, *args):
        if self._kubeconfig is None:
            self._kubeconfig = self._kubeconfig_factory()
        command = [self._executable, '--kubeconfig', self._kubeconfig, *args, '--output', 'json']
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=KUBECTL_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise KubectlError(f"kubectl {' '.join(args)} timed out after {KUBECTL_TIMEOUT_SECONDS}s") from error
        except OSError as error:
            raise KubectlError(f'cannot run kubectl at {self._executable}: {error}') from error
        if completed.returncode != 0:
            stderr = completed.stderr.strip()
            if '(NotFound)' in stderr:
                raise NotFound(stderr)
            raise KubectlError(f"kubectl {' '.join(args)} exited {completed.returncode}: {stderr}")
        try:
            return json.loads(completed.stdout)
        except ValueError as error:
            raise KubectlError(f"kubectl {' '.join(args)} printed no JSON: {completed.stdout[:200]!r}") from error


def eks_kubeconfig(cluster_name, region, eks, directory=None):
    """Writes a kubeconfig (mode 0600) for the cluster's private endpoint with a fresh token; returns its path."""
    import botocore.session
    from botocore.signers import RequestSigner

    try:
        cluster = eks.describe_cluster(name=cluster_name)['cluster']
    except Exception as error:  # botocore raises many classes; all are fatal here
        raise AwsApiError(f'eks:DescribeCluster {cluster_name}: {error}') from error
    session = botocore.session.get_session()
    sts = session.create_client('sts', region_name=region)
    signer = RequestSigner(sts.meta.service_model.service_id, region, 'sts', 'v4', session.get_credentials(), session.get_component('event_emitter'))
    url = signer.generate_presigned_url({
        'method': 'GET',
        'url': f'https://sts.{region}.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15',
        'body': {}, 'headers': {'x-k8s-aws-id': cluster_name}, 'context': {},
    }, region_name=region, expires_in=60, operation_name='')
    token = 'k8s-aws-v1.' + base64.urlsafe_b64encode(url.encode()).decode().rstrip('=')
    config = {
        'apiVersion': 'v1', 'kind': 'Config', 'current-context': 'responder', 'preferences': {},
        'clusters': [{'name': 'cluster', 'cluster': {
            'server': cluster['endpoint'], 'certificate-authority-data': cluster['certificateAuthority']['data'],
        }}],
        'users': [{'name': 'responder', 'user': {'token': token}}],
        'contexts': [{'name': 'responder', 'context': {'cluster': 'cluster', 'user': 'responder'}}],
    }
    fd, path = tempfile.mkstemp(prefix='kubeconfig-', suffix='.json', dir=directory)
    with os.fdopen(fd, 'w') as file:
        json.dump(config, file)
    return path


# ---------------------------------------------------------------------------------------------------------------
# Actions


def _instance_id_of(node):
    """`aws:///eu-west-1a/i-0123…` → `i-0123…`; None for a node that is not an EC2 instance."""
    provider_id = (node.get('spec') or {}).get('providerID') or ''
    candidate = provider_id.rsplit('/', 1)[-1]
    return candidate if provider_id.startswith('aws://') and _INSTANCE_ID.match(candidate) else None


def _token_audiences(pod):
    """Audiences of the pod's projected service-account tokens (a token without one is for the API server)."""
    audiences = set()
    for volume in (pod.get('spec') or {}).get('volumes') or []:
        for source in ((volume.get('projected') or {}).get('sources') or []):
            token = source.get('serviceAccountToken')
            if isinstance(token, dict):
                audiences.add(token.get('audience') or 'kubernetes')
    return sorted(audiences)


def _web_identity_roles(pod):
    """The roles the pod's containers were given in AWS_ROLE_ARN, and the containers that take it from a reference."""
    spec = pod.get('spec') or {}
    roles, indirect = set(), []
    for container in (spec.get('initContainers') or []) + (spec.get('containers') or []):
        for variable in container.get('env') or []:
            if variable.get('name') != WEB_IDENTITY_ROLE_ENV:
                continue
            if isinstance(variable.get('value'), str) and variable['value']:
                roles.add(variable['value'])
            else:
                indirect.append(container.get('name') or '?')
    return sorted(roles), indirect


def _issued_identity(pod, account):
    """What EKS issued the pod, and where the service account's annotation (which namespace editors control) disagrees."""
    issued, indirect = _web_identity_roles(pod)
    audiences = _token_audiences(pod)
    annotated = account['annotatedRoleArn']
    associations = account['podIdentityRoleArns']
    mismatches = []
    if annotated and issued and annotated not in issued:
        mismatches.append(f"the service account's annotation names {annotated}, but EKS gave the pod {', '.join(issued)} "
                          f'({WEB_IDENTITY_ROLE_ENV}, fixed when the pod was created): the annotation changed since')
    if annotated and not issued and not indirect:
        mismatches.append(f"the service account's annotation names {annotated}, but the pod was given no {WEB_IDENTITY_ROLE_ENV}: "
                          'its credentials do not come from that role (annotated after the pod started, or the pod opts out)')
    if issued and not annotated:
        mismatches.append(f"EKS gave the pod {', '.join(issued)} ({WEB_IDENTITY_ROLE_ENV}), but its service account names no role now")
    if issued and STS_AUDIENCE not in audiences:
        mismatches.append(f"the pod names {', '.join(issued)} in {WEB_IDENTITY_ROLE_ENV} but has no projected token for {STS_AUDIENCE}")
    if indirect:
        mismatches.append(f"{WEB_IDENTITY_ROLE_ENV} of {', '.join(indirect)} comes from a reference, not a value: check the role by hand")
    if POD_IDENTITY_AUDIENCE in audiences and not associations:
        mismatches.append(f'the pod has a Pod Identity token ({POD_IDENTITY_AUDIENCE}), but no Pod Identity association exists now for its service account')
    if associations and POD_IDENTITY_AUDIENCE not in audiences:
        mismatches.append(f"Pod Identity associations give the service account {', '.join(associations)}, but the pod has no Pod Identity token "
                          '(created before the association): it gets those roles only once restarted')
    return {'irsaRoleArns': issued, 'annotatedRoleArn': annotated, 'podIdentityRoleArns': associations if POD_IDENTITY_AUDIENCE in audiences else [],
            'tokenAudiences': audiences, 'identityMismatches': mismatches}


def _selector_string(label_selector):
    """A Deployment's spec.selector as a kubectl `-l` string."""
    terms = [f'{k}={v}' for k, v in sorted((label_selector.get('matchLabels') or {}).items())]
    for expression in label_selector.get('matchExpressions') or []:
        key, operator, values = expression['key'], expression['operator'], expression.get('values') or []
        if operator == 'In':
            terms.append(f"{key} in ({','.join(values)})")
        elif operator == 'NotIn':
            terms.append(f"{key} notin ({','.join(values)})")
        elif operator == 'Exists':
            terms.append(key)
        elif operator == 'DoesNotExist':
            terms.append(f'!{key}')
        else:
            raise KubectlError(f'unknown selector operator {operator!r} in {label_selector}')
    if not terms:
        raise KubectlError('the deployment has an empty selector')
    return ','.join(terms)


class Responder:
    def __init__(self, kubectl, eks, cluster_name, quarantine_label):
        self._kubectl = kubectl
        self._eks = eks
        self._cluster_name = cluster_name
        self._quarantine_label = quarantine_label

    def handle(self, event):
        if not isinstance(event, dict):
            raise InvalidRequest('the event must be a JSON object')
        action = event.get('action')
        handlers = {'identify': self.identify, 'quarantine-pod': self.quarantine_pod, 'cordon-node': self.cordon_node}
        if action not in handlers:
            raise InvalidRequest(f"unknown action {action!r}; expected one of {', '.join(handlers)}")
        return handlers[action](event)

    # IR-1 -------------------------------------------------------------------------------------------------------

    def identify(self, event):
        selector_field = _exactly_one(event, ['node', 'instanceId', 'deployment', 'label', 'serviceAccount'])
        if selector_field in ('node', 'instanceId'):
            _only_fields(event, [selector_field])
        else:
            _only_fields(event, ['namespace', selector_field])
        selector, pods, selected_node = self._select(event, selector_field)
        nodes = self._nodes_by_name()
        service_accounts = {}
        for pod in pods:
            key = (pod['metadata']['namespace'], pod['spec'].get('serviceAccountName') or 'default')
            if key not in service_accounts:
                service_accounts[key] = self._service_account_identity(*key)
        described = []
        for pod in pods:
            namespace, node_name = pod['metadata']['namespace'], pod['spec'].get('nodeName')
            account = service_accounts[(namespace, pod['spec'].get('serviceAccountName') or 'default')]
            described.append({
                'namespace': namespace,
                'name': pod['metadata']['name'],
                'node': node_name,
                'instanceId': _instance_id_of(nodes[node_name]) if node_name in nodes else None,
                'serviceAccount': account['name'],
                **_issued_identity(pod, account),
            })
        node_names = sorted({p['node'] for p in described if p['node']} | ({selected_node} if selected_node else set()))
        node_list = [{'name': n, 'instanceId': _instance_id_of(nodes[n]) if n in nodes else None} for n in node_names]
        # The roles whose sessions IR-3 revokes: those EKS issued the pods, not what an annotation claims now.
        role_arns = sorted({arn for p in described for arn in [*p['irsaRoleArns'], *p['podIdentityRoleArns']]})
        return {
            'action': 'identify',
            'selector': selector,
            'pods': sorted(described, key=lambda p: (p['namespace'], p['name'])),
            'nodes': node_list,
            'instanceIds': sorted({n['instanceId'] for n in node_list if n['instanceId']}),
            'serviceAccounts': [service_accounts[k] for k in sorted(service_accounts)],
            'roleArns': role_arns,
            'identityMismatches': [f"{p['namespace']}/{p['name']}: {m}" for p in sorted(described, key=lambda p: (p['namespace'], p['name']))
                                   for m in p['identityMismatches']],
        }

    def _select(self, event, field):
        """Returns (selector as given, pod objects, the node the selector names or None)."""
        if field == 'node':
            name = _object_name(event, 'node')
            self._kubectl.json('get', 'node', name)
            return {'node': name}, self._pods_on(name), name
        if field == 'instanceId':
            instance_id = _instance_id(event)
            name = self._node_of_instance(instance_id)['metadata']['name']
            return {'instanceId': instance_id}, self._pods_on(name), name
        namespace = _namespace(event)
        if field == 'deployment':
            name = _object_name(event, 'deployment')
            return {'namespace': namespace, 'deployment': name}, self._pods_of_deployment(namespace, name), None
        if field == 'label':
            selector = _label_selector(event)
            pods = self._kubectl.json('get', 'pods', '--namespace', namespace, '--selector', selector)['items']
            return {'namespace': namespace, 'label': selector}, pods, None
        name = _object_name(event, 'serviceAccount')
        self._kubectl.json('get', 'serviceaccount', name, '--namespace', namespace)
        pods = self._kubectl.json('get', 'pods', '--namespace', namespace, '--field-selector', f'spec.serviceAccountName={name}')['items']
        pods = [p for p in pods if (p['spec'].get('serviceAccountName') or 'default') == name]
        return {'namespace': namespace, 'serviceAccount': name}, pods, None

    def _pods_on(self, node_name):
        return self._kubectl.json('get', 'pods', '--all-namespaces', '--field-selector', f'spec.nodeName={node_name}')['items']

    def _pods_of_deployment(self, namespace, name):
        """Pods whose ReplicaSet the Deployment owns (its selector alone could also match other controllers' pods)."""
        deployment = self._kubectl.json('get', 'deployment', name, '--namespace', namespace)
        selector = _selector_string(deployment['spec']['selector'])

        def owned_by(obj, uids):
            return any(o.get('uid') in uids for o in obj['metadata'].get('ownerReferences') or [])

        replica_sets = self._kubectl.json('get', 'replicasets', '--namespace', namespace, '--selector', selector)['items']
        replica_set_uids = {rs['metadata']['uid'] for rs in replica_sets if owned_by(rs, {deployment['metadata']['uid']})}
        pods = self._kubectl.json('get', 'pods', '--namespace', namespace, '--selector', selector)['items']
        return [p for p in pods if owned_by(p, replica_set_uids)]

    def _nodes_by_name(self):
        return {n['metadata']['name']: n for n in self._kubectl.json('get', 'nodes')['items']}

    def _node_of_instance(self, instance_id):
        matches = [n for n in self._kubectl.json('get', 'nodes')['items'] if _instance_id_of(n) == instance_id]
        if not matches:
            raise NotFound(f'no node of the cluster runs on instance {instance_id}')
        return matches[0]

    def _service_account_identity(self, namespace, name):
        try:
            account = self._kubectl.json('get', 'serviceaccount', name, '--namespace', namespace)
            annotated = (account['metadata'].get('annotations') or {}).get(IRSA_ANNOTATION)
        except NotFound:
            annotated = None  # a pod can outlive its service account
        return {'namespace': namespace, 'name': name, 'annotatedRoleArn': annotated, 'podIdentityRoleArns': self._pod_identity_roles(namespace, name)}

    def _pod_identity_roles(self, namespace, service_account):
        try:
            association_ids, token = [], None
            while True:
                page = self._eks.list_pod_identity_associations(
                    clusterName=self._cluster_name, namespace=namespace, serviceAccount=service_account, **({'nextToken': token} if token else {}))
                association_ids += [a['associationId'] for a in page.get('associations', [])]
                token = page.get('nextToken')
                if not token:
                    break
            roles = set()
            for association_id in association_ids:
                association = self._eks.describe_pod_identity_association(clusterName=self._cluster_name, associationId=association_id)['association']
                # With a target role, the pod's credentials are for the target role, reached through roleArn.
                roles |= {arn for arn in (association.get('roleArn'), association.get('targetRoleArn')) if arn}
            return sorted(roles)
        except Exception as error:  # botocore raises many classes; all are fatal here
            raise AwsApiError(f'EKS Pod Identity lookup for {namespace}/{service_account}: {error}') from error

    # IR-2 -------------------------------------------------------------------------------------------------------

    def quarantine_pod(self, event):
        _only_fields(event, ['namespace', 'pod'])
        namespace, name = _namespace(event), _object_name(event, 'pod')
        # The label isolates only where a deny-all policy selects it (the product's workload namespaces).
        if not self._has_quarantine_policy(namespace):
            raise NotFound(f'namespace {namespace} has no network policy selecting {self._quarantine_label} for both ingress and egress: '
                           'the label would not isolate the pod there; isolate its node instead (isolate-node)')
        patch = json.dumps({'metadata': {'labels': {self._quarantine_label: 'true'}}})
        pod = self._kubectl.json('patch', 'pod', name, '--namespace', namespace, '--type', 'merge', '--patch', patch)
        labels = pod['metadata'].get('labels') or {}
        if labels.get(self._quarantine_label) != 'true':
            raise KubectlError(f'pod {namespace}/{name} does not carry {self._quarantine_label}=true after the patch')
        node_name = pod['spec'].get('nodeName')
        instance_id = _instance_id_of(self._kubectl.json('get', 'node', node_name)) if node_name else None
        return {'action': 'quarantine-pod', 'namespace': namespace, 'pod': name, 'node': node_name, 'instanceId': instance_id, 'labels': labels}

    def _has_quarantine_policy(self, namespace):
        policies = self._kubectl.json('get', 'networkpolicies', '--namespace', namespace).get('items') or []
        for policy in policies:
            spec = policy.get('spec') or {}
            expressions = (spec.get('podSelector') or {}).get('matchExpressions') or []
            selects = any(e.get('key') == self._quarantine_label and e.get('operator') == 'Exists' for e in expressions)
            types = set(spec.get('policyTypes') or [])
            if selects and {'Ingress', 'Egress'} <= types and not spec.get('ingress') and not spec.get('egress'):
                return True
        return False

    # IR-4 -------------------------------------------------------------------------------------------------------

    def cordon_node(self, event):
        field = _exactly_one(event, ['node', 'instanceId'])
        _only_fields(event, [field])
        name = _object_name(event, 'node') if field == 'node' else self._node_of_instance(_instance_id(event))['metadata']['name']
        node = self._kubectl.json('patch', 'node', name, '--type', 'merge', '--patch', json.dumps({'spec': {'unschedulable': True}}))
        if node['spec'].get('unschedulable') is not True:
            raise KubectlError(f'node {name} is not unschedulable after the patch')
        return {'action': 'cordon-node', 'node': name, 'instanceId': _instance_id_of(node), 'unschedulable': True}


# ---------------------------------------------------------------------------------------------------------------
# Lambda entry point


def _environment(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f'environment variable {name} is not set')
    return value


def handler(event, _context):
    import boto3

    cluster_name, region = _environment('CLUSTER_NAME'), _environment('AWS_REGION')
    eks = boto3.client('eks', region_name=region)
    kubectl = Kubectl(_environment('KUBECTL'), lambda: eks_kubeconfig(cluster_name, region, eks))
    print(json.dumps({'request': event}))
    try:
        return Responder(kubectl, eks, cluster_name, _environment('QUARANTINE_LABEL')).handle(event)
    finally:
        kubectl.close()
