"""IR-1, first step (aws:executeScript): builds the responder request with json.dumps (no string splicing) in the
contract's shape: one selector key, and `namespace` only with deployment, label or serviceAccount."""
import json


def build(events, context):
    selector = events['Selector']
    request = {'action': 'identify', selector: events['Value']}
    if selector in ('deployment', 'label', 'serviceAccount'):
        request['namespace'] = events['Namespace']
    return {'Request': json.dumps(request)}
