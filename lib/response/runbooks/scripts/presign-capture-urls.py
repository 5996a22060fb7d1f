"""IR-6, first step (aws:executeScript): refuses to run without the product's AVML checksum, then presigns, with the
automation role's credentials, one PUT per artifact key under incidents/<incident>/<instance>/ and one GET for AVML.
The URLs name the regional S3 endpoint, which the VPC's S3 gateway endpoint serves: the node needs no internet and no
S3 permission. UploadUrls is "name url name url ..." on one line, as the Command document's pattern expects."""
import boto3
from botocore.config import Config

URL_LIFETIME_SECONDS = 3600


def presign(events, context):
    if not events['AvmlSha256']:
        raise Exception('no AVML SHA-256 is configured for the product (incidentResponse.avmlSha256): IR-6 refuses to run; '
                        'upload AVML to the evidence bucket, set its SHA-256 and update the product')
    region = events['Region']
    bucket = events['Bucket']
    prefix = 'incidents/' + events['IncidentId'] + '/' + events['InstanceId'] + '/'
    s3 = boto3.client('s3', region_name=region, endpoint_url='https://s3.' + region + '.amazonaws.com',
                      config=Config(signature_version='s3v4', s3={'addressing_style': 'virtual'}))
    capture_memory = str(events['CaptureMemory']).lower() == 'true'
    artifacts = [name for name in events['Artifacts'] if capture_memory or not name.startswith('memory.lime')]
    pairs = []
    keys = []
    for name in artifacts:
        url = s3.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': prefix + name}, ExpiresIn=URL_LIFETIME_SECONDS)
        pairs += [name, url]
        keys.append(prefix + name)
    avml_url = s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': events['AvmlKey']}, ExpiresIn=URL_LIFETIME_SECONDS)
    return {'UploadUrls': ' '.join(pairs), 'AvmlUrl': avml_url, 'ArtifactKeys': keys, 'Prefix': prefix}
