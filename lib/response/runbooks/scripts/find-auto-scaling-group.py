"""IR-5, first step (aws:executeScript): finds the node's Auto Scaling group; the instance must carry the cluster's
eks:cluster-name tag."""
import boto3


def find(events, context):
    instance_id = events['InstanceId']
    ec2 = boto3.client('ec2')
    reservations = ec2.describe_instances(InstanceIds=[instance_id])['Reservations']
    tags = {tag['Key']: tag['Value'] for tag in reservations[0]['Instances'][0].get('Tags', [])}
    if tags.get('eks:cluster-name') != events['ClusterName']:
        raise Exception(instance_id + ' is not a node of cluster ' + events['ClusterName'])
    found = boto3.client('autoscaling').describe_auto_scaling_instances(InstanceIds=[instance_id])['AutoScalingInstances']
    if not found:
        raise Exception(instance_id + ' is in no Auto Scaling group')
    return {'AutoScalingGroupName': found[0]['AutoScalingGroupName']}
