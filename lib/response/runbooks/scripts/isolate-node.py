"""IR-2 (node), aws:executeScript: records, then replaces, the security groups of every network interface of the node (the VPC CNI
attaches several), and reads them back. The groups are recorded as one instance tag per interface before any change."""
import time

import boto3


def isolate(events, context):
    instance_id = events['InstanceId']
    tag_prefix = events['TagPrefix']
    isolation_group = events['IsolationSecurityGroupId']
    ec2 = boto3.client('ec2')
    instance = ec2.describe_instances(InstanceIds=[instance_id])['Reservations'][0]['Instances'][0]
    tags = {tag['Key']: tag['Value'] for tag in instance.get('Tags', [])}
    if tags.get('eks:cluster-name') != events['ClusterName']:
        raise Exception(instance_id + ' is not a node of cluster ' + events['ClusterName'])
    interfaces = ec2.describe_network_interfaces(
        Filters=[{'Name': 'attachment.instance-id', 'Values': [instance_id]}])['NetworkInterfaces']
    if not interfaces:
        raise Exception(instance_id + ' has no network interface')
    records = []
    for interface in interfaces:
        groups = sorted(group['GroupId'] for group in interface['Groups'])
        if groups != [isolation_group]:
            # A second run must not overwrite the record of the original groups with the isolation group.
            records.append({'Key': tag_prefix + interface['NetworkInterfaceId'], 'Value': ' '.join(groups)[:256]})
    if records:
        ec2.create_tags(Resources=[instance_id], Tags=records)
    for interface in interfaces:
        ec2.modify_network_interface_attribute(NetworkInterfaceId=interface['NetworkInterfaceId'], Groups=[isolation_group])
    time.sleep(2)
    ids = [interface['NetworkInterfaceId'] for interface in interfaces]
    after = ec2.describe_network_interfaces(NetworkInterfaceIds=ids)['NetworkInterfaces']
    wrong = [i['NetworkInterfaceId'] for i in after if [g['GroupId'] for g in i['Groups']] != [isolation_group]]
    if wrong:
        raise Exception('Interfaces not isolated: ' + ', '.join(wrong))
    return {'NetworkInterfaceIds': ids, 'RecordedGroups': {r['Key'][len(tag_prefix):]: r['Value'] for r in records}}
