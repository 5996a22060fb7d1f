"""Last step of the runbooks that call the KubernetesResponder (aws:executeScript): fails unless the invocation answered."""
import json


def check(events, context):
    payload = events['Payload']
    answer = json.loads(payload) if isinstance(payload, str) else payload
    if not isinstance(answer, dict) or 'errorMessage' in answer:
        raise Exception('KubernetesResponder failed: ' + json.dumps(answer)[:1000])
    return {'Answer': json.dumps(answer)[:4000]}
