"""IR-6, last step (aws:executeScript): snapshots every EBS volume of the node at once (crash-consistent), each
snapshot tagged with the incident, the instance and the cluster when it is created, and locks them in compliance
mode for the evidence retention, so that nobody, the account root included, can delete them before it ends."""
import boto3

INCIDENT_TAG = 'hardened-eks:incident'
INSTANCE_TAG = 'hardened-eks:instance'


def snapshot(events, context):
    instance_id = events['InstanceId']
    ec2 = boto3.client('ec2')
    tags = [
        {'Key': INCIDENT_TAG, 'Value': events['IncidentId']},
        {'Key': INSTANCE_TAG, 'Value': instance_id},
        {'Key': 'eks:cluster-name', 'Value': events['ClusterName']},
    ]
    created = ec2.create_snapshots(
        InstanceSpecification={'InstanceId': instance_id, 'ExcludeBootVolume': False},
        Description='IR-6 evidence of ' + instance_id + ' for incident ' + events['IncidentId'],
        TagSpecifications=[{'ResourceType': 'snapshot', 'Tags': tags}],
    )['Snapshots']
    if not created:
        raise Exception(instance_id + ' has no EBS volume to snapshot')
    unencrypted = [s['SnapshotId'] for s in created if not s.get('Encrypted')]
    if unencrypted:
        raise Exception('snapshots ' + ', '.join(unencrypted) + ' are not encrypted: the node volumes must be')
    for s in created:
        ec2.lock_snapshot(SnapshotId=s['SnapshotId'], LockMode='compliance', LockDuration=int(events['RetentionDays']))
    return {'SnapshotIds': [s['SnapshotId'] for s in created]}
