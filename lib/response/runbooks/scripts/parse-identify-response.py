"""IR-1, last step (aws:executeScript): turns the responder's answer into typed outputs; a function error or a missing
field fails the step. PodRoleArns are the roles EKS issued the pods (for IR-3), not what service-account annotations
claim; IdentityMismatches lists every pod whose annotation disagrees with its issued identity."""
import json

POD_FIELDS = ('namespace', 'name', 'node', 'instanceId', 'serviceAccount', 'annotatedRoleArn')


def parse(events, context):
    payload = events['Payload']
    answer = json.loads(payload) if isinstance(payload, str) else payload
    if not isinstance(answer, dict) or 'errorMessage' in answer:
        raise Exception('KubernetesResponder failed: ' + json.dumps(answer)[:1000])
    for field in ('pods', 'nodes', 'instanceIds', 'roleArns', 'identityMismatches'):
        if not isinstance(answer.get(field), list):
            raise Exception('KubernetesResponder answer has no list ' + field)
    pods = []
    for pod in answer['pods']:
        described = {key: str(pod.get(key) or '') for key in POD_FIELDS}
        described['irsaRoleArns'] = ','.join(pod.get('irsaRoleArns') or [])
        described['podIdentityRoleArns'] = ','.join(pod.get('podIdentityRoleArns') or [])
        pods.append(described)
    return {
        'Pods': pods,
        'PodCount': len(pods),
        'NodeNames': sorted({node['name'] for node in answer['nodes']}),
        'InstanceIds': sorted(set(answer['instanceIds'])),
        'PodRoleArns': sorted(set(answer['roleArns'])),
        'IdentityMismatches': answer['identityMismatches'],
    }
