import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as eksV1 from 'aws-cdk-lib/aws-eks';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { EksThreatModelChecks } from '../../nag-rules/eks-threat-model-pack';
import { ClusterEndpointPrivate } from '../../nag-rules/rules/cluster/cluster-endpoint-private';

/** The pack judges CloudFormation, so a raw template imported with cloudformation-include is judged like CDK code. */
describe('the pack on imported templates and both CDK EKS flavours', () => {
  const pack = () => new EksThreatModelChecks(undefined, { rules: [ClusterEndpointPrivate] });

  /** A stack that imports, with CfnInclude, a raw template holding one EKS cluster with this VPC configuration. */
  function importedCluster(roleArn: string, vpcConfig: Record<string, unknown>): Stack {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'include-')), 'template.json');
    const cluster = { Type: 'AWS::EKS::Cluster', Properties: { RoleArn: roleArn, ResourcesVpcConfig: vpcConfig } };
    fs.writeFileSync(file, JSON.stringify({ Resources: { Raw: cluster } }));
    const stack = new Stack(new App(), 'Imported');
    new CfnInclude(stack, 'Template', { templateFile: file });
    return stack;
  }

  test('a raw template with a public endpoint, imported with CfnInclude, is caught', () => {
    const stack = importedCluster('arn:aws:iam::111122223333:role/r', {
      SubnetIds: ['subnet-1'],
      EndpointPublicAccess: true,
    });
    const report = pack().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual(['EksThreatModel-CLU-1']);
    expect(report.violations[0].violatingResources[0].constructPath).toBe('Imported/Template/Raw');
  });

  test('aws-eks v1 L1 (the same AWS::EKS::Cluster type from another module) is caught too', () => {
    const stack = new Stack(new App(), 'V1');
    new eksV1.CfnCluster(stack, 'Cluster', {
      roleArn: 'arn:aws:iam::111122223333:role/r',
      resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true, endpointPublicAccess: true },
    });
    expect(
      pack()
        .validateScope(stack)
        .violations.map((v) => v.ruleName),
    ).toEqual(['EksThreatModel-CLU-1']);
  });

  test('a compliant imported cluster passes', () => {
    const stack = importedCluster('r', { SubnetIds: ['s'], EndpointPublicAccess: false, EndpointPrivateAccess: true });
    const checks = pack();
    expect(checks.validateScope(stack).violations).toEqual([]);
    expect(checks.evaluations.map((e) => e.status)).toEqual(['pass']);
  });
});
