"""IR-3, last step (aws:executeScript): fails unless the role-session revoker answered with the time before which the
role's sessions are now denied."""
import json


def check(events, context):
    payload = events['Payload']
    answer = json.loads(payload) if isinstance(payload, str) else payload
    if not isinstance(answer, dict) or 'errorMessage' in answer or not answer.get('revokedBefore'):
        raise Exception('RoleSessionRevoker failed: ' + json.dumps(answer)[:1000])
    return {'RevokedBefore': answer['revokedBefore'], 'Answer': json.dumps(answer)[:4000]}
