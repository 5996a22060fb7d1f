"""IR-4, first step (aws:executeScript): builds the responder request with exactly one of NodeName and InstanceId, as its contract requires."""
import json


def build(events, context):
    node = events['NodeName'].strip()
    instance_id = events['InstanceId'].strip()
    if bool(node) == bool(instance_id):
        raise Exception('Give exactly one of NodeName and InstanceId')
    request = {'action': 'cordon-node'}
    if node:
        request['node'] = node
    else:
        request['instanceId'] = instance_id
    return {'Request': json.dumps(request)}
