"""IR-3: revokes every session of an IAM role issued before now, with the policy the IAM console's "Revoke active
sessions" writes (deny everything when aws:TokenIssueTime is before now). The incident-response automation role may
only invoke this function; this function's role alone may write role policies, and the code below writes no other
policy than this one. Event: {"roleName": "<name>"}; answer: {"roleName", "policyName", "revokedBefore"}."""
import datetime
import json
import re

POLICY_NAME = 'AWSRevokeOlderSessions'
_ROLE_NAME = re.compile(r'^[\w+=,.@-]{1,64}$')


class InvalidRequest(Exception):
    """The event is not {"roleName": "<an IAM role name>"}."""


class RevocationNotStored(Exception):
    """IAM does not return the revocation policy that was just written."""


def revocation_policy(now):
    return {
        'Version': '2012-10-17',
        'Statement': [{'Effect': 'Deny', 'Action': ['*'], 'Resource': ['*'], 'Condition': {'DateLessThan': {'aws:TokenIssueTime': now}}}],
    }


def revoke(iam, event, now):
    if not isinstance(event, dict) or sorted(event) != ['roleName']:
        raise InvalidRequest('the event must be {"roleName": "<role name>"} and nothing else')
    role_name = event['roleName']
    if not isinstance(role_name, str) or not _ROLE_NAME.match(role_name):
        raise InvalidRequest(f"'roleName' {role_name!r} is not an IAM role name (not an ARN)")
    policy = revocation_policy(now)
    iam.put_role_policy(RoleName=role_name, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(policy))
    stored = iam.get_role_policy(RoleName=role_name, PolicyName=POLICY_NAME)['PolicyDocument']
    if (json.loads(stored) if isinstance(stored, str) else stored) != policy:
        raise RevocationNotStored(f'{role_name} does not hold the revocation policy after it was written')
    return {'roleName': role_name, 'policyName': POLICY_NAME, 'revokedBefore': now}


def handler(event, _context):
    import boto3

    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    return revoke(boto3.client('iam'), event, now)
