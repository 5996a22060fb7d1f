import { Template } from 'aws-cdk-lib/assertions';
import { resourcesOfType, synthesizeCatalog } from '../support/project-app';

let template: Record<string, any>;
let product: Template;
beforeAll(() => {
  ({ productJson: template, product } = synthesizeCatalog());
});

const launchTemplate = () => resourcesOfType(template, 'AWS::EC2::LaunchTemplate')[0][1].Properties.LaunchTemplateData;
const nodegroup = () => resourcesOfType(template, 'AWS::EKS::Nodegroup')[0][1].Properties;

describe('worker nodes (EP-2, LM-1, LM-5)', () => {
  test('a managed node group of AL2023 nodes using the hardened launch template (no Auto Mode)', () => {
    product.resourceCountIs('AWS::EKS::Nodegroup', 1);
    expect(nodegroup().AmiType).toBe('AL2023_x86_64_STANDARD');
    expect(nodegroup().LaunchTemplate.Id.Ref).toBe(resourcesOfType(template, 'AWS::EC2::LaunchTemplate')[0][0]);
    product.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: false } });
  });

  test("IMDSv2 is required with hop limit 1, so pods cannot take the node's credentials", () => {
    expect(launchTemplate().MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
  });

  test("the root volume is encrypted with the product's customer-managed key, which rotates", () => {
    const [mapping] = launchTemplate().BlockDeviceMappings;
    expect(mapping.DeviceName).toBe('/dev/xvda');
    expect(mapping.Ebs.Encrypted).toBe(true);
    const keyId = mapping.Ebs.KmsKeyId['Fn::GetAtt'][0];
    expect(template.Resources[keyId].Type).toBe('AWS::KMS::Key');
    expect(template.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(template.Resources[keyId].Properties.KeyPolicy)).toContain('AWSServiceRoleForAutoScaling');
  });

  test('no key pair and no remote access: there is no SSH path', () => {
    expect(launchTemplate().KeyName).toBeUndefined();
    expect(nodegroup().RemoteAccess).toBeUndefined();
  });

  test('the instance type and sizes come from the constrained launch parameters', () => {
    expect(nodegroup().InstanceTypes).toEqual([{ Ref: 'NodeInstanceType' }]);
    expect(nodegroup().ScalingConfig).toEqual({
      MinSize: { Ref: 'NodeMinSize' },
      MaxSize: { Ref: 'NodeMaxSize' },
      DesiredSize: { Ref: 'NodeMinSize' },
    });
  });
});

describe('Session Manager instead of SSH (EP-2, CC-PRE)', () => {
  const sessionDocument = () => resourcesOfType(template, 'AWS::SSM::Document')[0][1].Properties;

  test('a session document encrypts sessions with a customer-managed key and streams transcripts to CloudWatch', () => {
    expect(sessionDocument().DocumentType).toBe('Session');
    const { inputs, sessionType } = sessionDocument().Content;
    expect(sessionType).toBe('Standard_Stream');
    expect(inputs).toMatchObject({
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      runAsEnabled: false,
    });
    expect(template.Resources[inputs.kmsKeyId.Ref].Type).toBe('AWS::KMS::Key');
    const logGroup = template.Resources[inputs.cloudWatchLogGroupName.Ref];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.KmsKeyId).toBeDefined();
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  test('consumers are told how to reach nodes through the session document', () => {
    expect(JSON.stringify(template.Outputs.NodeSessionCommand.Value)).toContain(
      'aws ssm start-session --document-name ',
    );
  });
});
