"""Unit tests of the IR-3 role-session revoker (lib/response/role-session-revoker/index.py), against a fake IAM client.
Run: python3 -m unittest discover -s test/response -p 'revoker_test.py'
"""

import importlib.util
import json
import os
import unittest

_PATH = os.path.join(os.path.dirname(__file__), '..', '..', 'lib', 'response', 'role-session-revoker', 'index.py')
_SPEC = importlib.util.spec_from_file_location('role_session_revoker', _PATH)
revoker = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(revoker)

NOW = '2026-12-02T10:00:00Z'


class FakeIam:
    """Keeps role policies as IAM does; get_role_policy returns the document decoded, as boto3 does."""

    def __init__(self, tamper=False):
        self.policies = {}
        self.calls = []
        self.tamper = tamper

    def put_role_policy(self, RoleName, PolicyName, PolicyDocument):
        self.calls.append(('put_role_policy', RoleName, PolicyName))
        document = json.loads(PolicyDocument)
        if self.tamper:
            document['Statement'][0]['Effect'] = 'Allow'
        self.policies[(RoleName, PolicyName)] = document

    def get_role_policy(self, RoleName, PolicyName):
        self.calls.append(('get_role_policy', RoleName, PolicyName))
        return {'RoleName': RoleName, 'PolicyName': PolicyName, 'PolicyDocument': self.policies[(RoleName, PolicyName)]}


class RevokerTest(unittest.TestCase):
    def test_writes_only_the_revoke_older_sessions_policy_and_reads_it_back(self):
        iam = FakeIam()
        answer = revoker.revoke(iam, {'roleName': 'payments-api'}, NOW)
        self.assertEqual(answer, {'roleName': 'payments-api', 'policyName': 'AWSRevokeOlderSessions', 'revokedBefore': NOW})
        self.assertEqual(iam.calls, [('put_role_policy', 'payments-api', 'AWSRevokeOlderSessions'), ('get_role_policy', 'payments-api', 'AWSRevokeOlderSessions')])
        self.assertEqual(iam.policies[('payments-api', 'AWSRevokeOlderSessions')], {
            'Version': '2012-10-17',
            'Statement': [{'Effect': 'Deny', 'Action': ['*'], 'Resource': ['*'], 'Condition': {'DateLessThan': {'aws:TokenIssueTime': NOW}}}],
        })

    def test_a_policy_that_does_not_read_back_as_written_fails(self):
        with self.assertRaises(revoker.RevocationNotStored):
            revoker.revoke(FakeIam(tamper=True), {'roleName': 'payments-api'}, NOW)

    def test_bad_requests_are_refused_before_iam_is_called(self):
        for event in [
            {}, {'roleName': ''}, {'roleName': 'arn:aws:iam::111122223333:role/x'}, {'roleName': 'a' * 65}, {'roleName': 'x y'},
            {'roleName': 'x', 'policyDocument': {'Statement': []}}, {'roleName': 'x', 'policyName': 'Other'}, ['x'], {'roleName': 7},
        ]:
            iam = FakeIam()
            with self.subTest(event=event), self.assertRaises(revoker.InvalidRequest):
                revoker.revoke(iam, event, NOW)
            self.assertEqual(iam.calls, [])


if __name__ == '__main__':
    unittest.main()
