"""Unit tests of the runbooks' aws:executeScript steps (lib/response/runbooks/scripts/*.py), each loaded from its file
and called as Automation calls its handler, against fake EC2 and Auto Scaling clients.
Run: python3 -m unittest discover -s test/response -p 'runbook_scripts_test.py'
"""

import importlib.util
import json
import os
import sys
import types
import unittest

_SCRIPTS = os.path.join(os.path.dirname(__file__), '..', '..', 'lib', 'response', 'runbooks', 'scripts')
CLUSTER = 'payments-prod'
INSTANCE = 'i-0123456789abcdef0'
ISOLATION_GROUP = 'sg-0isolation000000'
ISOLATE_EVENTS = {'InstanceId': INSTANCE, 'ClusterName': CLUSTER, 'TagPrefix': 'isolation:',
                  'IsolationSecurityGroupId': ISOLATION_GROUP}


class FakeAws:
    """What the scripts see as boto3: one fake client per service, recording each call."""

    def __init__(self, instance_tags, interfaces, auto_scaling_instances=()):
        self.calls = []
        self.instance_tags = instance_tags
        self.interfaces = {i['NetworkInterfaceId']: i for i in interfaces}
        self.auto_scaling_instances = list(auto_scaling_instances)

    def client(self, service, **_config):
        return FakeClient(self, service)


class FakeClient:
    """Operations take boto3's parameter names."""

    def __init__(self, aws, service):
        self.aws = aws
        self.service = service

    def __getattr__(self, operation):
        def call(**kwargs):
            self.aws.calls.append((self.service, operation, kwargs))
            return getattr(self, '_' + operation)(**kwargs)
        return call

    def _describe_instances(self, InstanceIds):
        tags = [{'Key': k, 'Value': v} for k, v in self.aws.instance_tags.items()]
        return {'Reservations': [{'Instances': [{'InstanceId': InstanceIds[0], 'Tags': tags}]}]}

    def _describe_network_interfaces(self, Filters=None, NetworkInterfaceIds=None):
        interfaces = list(self.aws.interfaces.values())
        if NetworkInterfaceIds is not None:
            interfaces = [i for i in interfaces if i['NetworkInterfaceId'] in NetworkInterfaceIds]
        return {'NetworkInterfaces': json.loads(json.dumps(interfaces))}

    def _create_tags(self, Resources, Tags):
        return {}

    def _modify_network_interface_attribute(self, NetworkInterfaceId, Groups):
        self.aws.interfaces[NetworkInterfaceId]['Groups'] = [{'GroupId': g} for g in Groups]
        return {}

    def _describe_auto_scaling_instances(self, InstanceIds):
        return {'AutoScalingInstances': self.aws.auto_scaling_instances}


def load(name, aws=None):
    """Loads one script as its own module, with `aws` standing in for boto3 and time.sleep not waiting."""
    fake_boto3 = types.ModuleType('boto3')
    fake_boto3.client = (aws or FakeAws({}, [])).client
    saved = sys.modules.get('boto3')
    sys.modules['boto3'] = fake_boto3
    try:
        spec = importlib.util.spec_from_file_location(name.replace('-', '_'), os.path.join(_SCRIPTS, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules['boto3']
        else:
            sys.modules['boto3'] = saved
    if hasattr(module, 'time'):
        module.time = types.SimpleNamespace(sleep=lambda _seconds: None)
    return module


def interface(eni, *groups):
    return {'NetworkInterfaceId': eni, 'Groups': [{'GroupId': g} for g in groups]}


class RequestBuildersTest(unittest.TestCase):
    def test_cordon_request_takes_exactly_one_of_node_and_instance(self):
        build = load('build-cordon-request.py').build
        self.assertEqual(json.loads(build({'NodeName': ' ip-10-0-1-2 ', 'InstanceId': ''}, None)['Request']),
                         {'action': 'cordon-node', 'node': 'ip-10-0-1-2'})
        self.assertEqual(json.loads(build({'NodeName': '', 'InstanceId': INSTANCE}, None)['Request']),
                         {'action': 'cordon-node', 'instanceId': INSTANCE})
        for both_or_none in ({'NodeName': 'n', 'InstanceId': INSTANCE}, {'NodeName': ' ', 'InstanceId': ''}):
            with self.assertRaisesRegex(Exception, 'exactly one of NodeName and InstanceId'):
                build(both_or_none, None)

    def test_identify_request_is_json_and_names_a_namespace_only_for_namespaced_selectors(self):
        build = load('build-identify-request.py').build
        quote = 'a"b\\c'
        self.assertEqual(json.loads(build({'Selector': 'label', 'Value': quote, 'Namespace': 'payments'}, None)['Request']),
                         {'action': 'identify', 'label': quote, 'namespace': 'payments'})
        self.assertEqual(json.loads(build({'Selector': 'node', 'Value': 'ip-10-0-1-2', 'Namespace': 'payments'}, None)['Request']),
                         {'action': 'identify', 'node': 'ip-10-0-1-2'})


class AnswerChecksTest(unittest.TestCase):
    def test_responder_answer_passes_through_and_a_function_error_fails_the_step(self):
        check = load('check-responder-answer.py').check
        self.assertEqual(json.loads(check({'Payload': '{"action": "cordon-node"}'}, None)['Answer']), {'action': 'cordon-node'})
        self.assertEqual(json.loads(check({'Payload': {'ok': True}}, None)['Answer']), {'ok': True})
        for failed in ('{"errorMessage": "forbidden"}', '[]', 'null'):
            with self.assertRaisesRegex(Exception, 'KubernetesResponder failed'):
                check({'Payload': failed}, None)

    def test_revocation_needs_the_revoked_before_time(self):
        check = load('check-revocation.py').check
        answer = {'roleName': 'payments-api', 'revokedBefore': '2026-12-02T10:00:00Z'}
        self.assertEqual(check({'Payload': json.dumps(answer)}, None)['RevokedBefore'], '2026-12-02T10:00:00Z')
        for failed in ({'roleName': 'payments-api'}, {'errorMessage': 'AccessDenied'}, {'revokedBefore': ''}):
            with self.assertRaisesRegex(Exception, 'RoleSessionRevoker failed'):
                check({'Payload': json.dumps(failed)}, None)

    def test_identify_answer_without_a_list_fails_the_step(self):
        parse = load('parse-identify-response.py').parse
        complete = {'pods': [], 'nodes': [], 'instanceIds': [], 'roleArns': [], 'identityMismatches': []}
        self.assertEqual(parse({'Payload': json.dumps(complete)}, None)['PodCount'], 0)
        for field in complete:
            broken = {**complete, field: None}
            with self.assertRaisesRegex(Exception, 'has no list ' + field):
                parse({'Payload': json.dumps(broken)}, None)
        with self.assertRaisesRegex(Exception, 'KubernetesResponder failed'):
            parse({'Payload': '{"errorMessage": "timeout"}'}, None)


class AutoScalingGroupTest(unittest.TestCase):
    def test_finds_the_group_of_a_node_of_the_cluster(self):
        aws = FakeAws({'eks:cluster-name': CLUSTER}, [], [{'AutoScalingGroupName': 'eks-nodes-abc'}])
        found = load('find-auto-scaling-group.py', aws).find({'InstanceId': INSTANCE, 'ClusterName': CLUSTER}, None)
        self.assertEqual(found, {'AutoScalingGroupName': 'eks-nodes-abc'})

    def test_refuses_an_instance_of_another_cluster_before_asking_auto_scaling(self):
        aws = FakeAws({'eks:cluster-name': 'other'}, [], [{'AutoScalingGroupName': 'other-nodes'}])
        with self.assertRaisesRegex(Exception, 'is not a node of cluster ' + CLUSTER):
            load('find-auto-scaling-group.py', aws).find({'InstanceId': INSTANCE, 'ClusterName': CLUSTER}, None)
        self.assertEqual([c[0] for c in aws.calls], ['ec2'])

    def test_an_instance_outside_any_group_fails(self):
        aws = FakeAws({'eks:cluster-name': CLUSTER}, [])
        with self.assertRaisesRegex(Exception, 'in no Auto Scaling group'):
            load('find-auto-scaling-group.py', aws).find({'InstanceId': INSTANCE, 'ClusterName': CLUSTER}, None)


class IsolateNodeTest(unittest.TestCase):

    def test_records_the_groups_of_every_interface_before_replacing_them(self):
        aws = FakeAws({'eks:cluster-name': CLUSTER}, [interface('eni-1', 'sg-b', 'sg-a'), interface('eni-2', 'sg-c')])
        result = load('isolate-node.py', aws).isolate(dict(ISOLATE_EVENTS), None)
        operations = [c[1] for c in aws.calls]
        self.assertLess(operations.index('create_tags'), operations.index('modify_network_interface_attribute'))
        tags = next(c[2] for c in aws.calls if c[1] == 'create_tags')
        self.assertEqual(tags, {'Resources': [INSTANCE], 'Tags': [{'Key': 'isolation:eni-1', 'Value': 'sg-a sg-b'},
                                                                   {'Key': 'isolation:eni-2', 'Value': 'sg-c'}]})
        self.assertEqual(result['RecordedGroups'], {'eni-1': 'sg-a sg-b', 'eni-2': 'sg-c'})
        self.assertEqual(sorted(result['NetworkInterfaceIds']), ['eni-1', 'eni-2'])
        self.assertTrue(all(i['Groups'] == [{'GroupId': ISOLATION_GROUP}] for i in aws.interfaces.values()))

    def test_a_second_run_keeps_the_record_of_the_original_groups(self):
        aws = FakeAws({'eks:cluster-name': CLUSTER}, [interface('eni-1', ISOLATION_GROUP)])
        result = load('isolate-node.py', aws).isolate(dict(ISOLATE_EVENTS), None)
        self.assertNotIn('create_tags', [c[1] for c in aws.calls])
        self.assertEqual(result['RecordedGroups'], {})

    def test_refuses_a_node_of_another_cluster_without_changing_anything(self):
        aws = FakeAws({'eks:cluster-name': 'other'}, [interface('eni-1', 'sg-a')])
        with self.assertRaisesRegex(Exception, 'is not a node of cluster ' + CLUSTER):
            load('isolate-node.py', aws).isolate(dict(ISOLATE_EVENTS), None)
        self.assertEqual([c[1] for c in aws.calls], ['describe_instances'])

    def test_fails_when_an_interface_did_not_take_the_isolation_group(self):
        aws = FakeAws({'eks:cluster-name': CLUSTER}, [interface('eni-1', 'sg-a')])
        module = load('isolate-node.py', aws)
        original = FakeClient._modify_network_interface_attribute
        FakeClient._modify_network_interface_attribute = lambda self, **kwargs: {}
        try:
            with self.assertRaisesRegex(Exception, 'Interfaces not isolated: eni-1'):
                module.isolate(dict(ISOLATE_EVENTS), None)
        finally:
            FakeClient._modify_network_interface_attribute = original


if __name__ == '__main__':
    unittest.main()
