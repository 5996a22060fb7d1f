import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  runCfnLint,
  runControlTowerGuard,
  runControlTowerGuardOnEach,
  runControlTowerGuardWithEveryRule,
  synthesizedTemplates,
} from './template-checkers';

// These tests are about the checkers themselves: every call runs the real tool, never the result cache.
const cacheSetting = process.env.HARDENED_EKS_CHECKER_CACHE;
let dir: string;
beforeAll(() => {
  process.env.HARDENED_EKS_CHECKER_CACHE = 'off';
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-checkers-'));
});
afterAll(() => {
  process.env.HARDENED_EKS_CHECKER_CACHE = cacheSetting;
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeTemplate(name: string, resources: Record<string, unknown>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, undefined, 2),
  );
  return file;
}

function eksCluster(vpcConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    Cluster: {
      Type: 'AWS::EKS::Cluster',
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
        ResourcesVpcConfig: { SubnetIds: ['subnet-0123456789abcdef0'], ...vpcConfig },
        ...extra,
      },
    },
  };
}

describe('runControlTowerGuard', () => {
  test('a public EKS endpoint is reported as CT.EKS.PR.1', () => {
    const template = writeTemplate(
      'public.json',
      eksCluster({ EndpointPublicAccess: true, EndpointPrivateAccess: true }),
    );

    const findings = runControlTowerGuard(template);

    expect(findings).toContainEqual(
      expect.objectContaining({
        ruleFile: 'eks/ct-eks-pr-1.guard',
        ruleName: 'eks_endpoint_no_public_access_check',
        controlId: 'CT.EKS.PR.1',
        logicalId: 'Cluster',
        message: expect.stringContaining('public access disabled'),
      }),
    );
    expect(runControlTowerGuard(template, { disabledRules: ['CT.EKS.PR.1'] }).map((f) => f.controlId)).not.toContain(
      'CT.EKS.PR.1',
    );
  });

  test('a private endpoint with KMS secrets encryption passes CT.EKS.PR.1 and CT.EKS.PR.2', () => {
    const template = writeTemplate(
      'private.json',
      eksCluster(
        { EndpointPublicAccess: false, EndpointPrivateAccess: true },
        {
          EncryptionConfig: [
            {
              Resources: ['secrets'],
              Provider: { KeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
            },
          ],
        },
      ),
    );

    const controlIds = runControlTowerGuard(template).map((f) => f.controlId);

    expect(controlIds).not.toContain('CT.EKS.PR.1');
    expect(controlIds).not.toContain('CT.EKS.PR.2');
  });

  test('an unreadable template throws with cfn-guard stderr', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{');
    expect(() => runControlTowerGuard(broken)).toThrow(/cfn-guard exited with .*\n.*pars/i);
  });
});

describe('the rule files given to cfn-guard', () => {
  test('only those that can apply to the template: the findings are those of every rule file', () => {
    const mixed = writeTemplate('mixed.json', {
      ...eksCluster({ EndpointPublicAccess: true }),
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      Open: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'open',
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }],
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            { PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
          ],
        },
      },
    });
    const unrelated = writeTemplate('unrelated.json', { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } });
    for (const template of [mixed, unrelated]) {
      const everyRule = runControlTowerGuardWithEveryRule(template);
      expect({ template, findings: runControlTowerGuard(template) }).toEqual({ template, findings: everyRule });
    }
    expect(runControlTowerGuardWithEveryRule(mixed).length).toBeGreaterThan(3);
  });
});

describe('runControlTowerGuardOnEach', () => {
  test('gives each template, in order, its own findings, checking them side by side', async () => {
    const templates = [
      writeTemplate('each-public.json', eksCluster({ EndpointPublicAccess: true, EndpointPrivateAccess: true })),
      writeTemplate('each-private.json', eksCluster({ EndpointPublicAccess: false, EndpointPrivateAccess: true })),
    ];

    const [publicFindings, privateFindings] = await runControlTowerGuardOnEach(templates, 2);

    // What runControlTowerGuard gives the public cluster (the first test above), and nothing of it for the private one.
    expect(publicFindings).toContainEqual(
      expect.objectContaining({
        ruleFile: 'eks/ct-eks-pr-1.guard',
        ruleName: 'eks_endpoint_no_public_access_check',
        controlId: 'CT.EKS.PR.1',
        logicalId: 'Cluster',
      }),
    );
    expect(privateFindings.map((f) => f.controlId)).not.toContain('CT.EKS.PR.1');
    expect(privateFindings.length).toBeGreaterThan(0);
    expect(publicFindings.length).toBe(privateFindings.length + 1);
  });

  test('an unreadable template rejects with cfn-guard stderr', async () => {
    const broken = path.join(dir, 'each-broken.json');
    fs.writeFileSync(broken, '{');
    await expect(runControlTowerGuardOnEach([broken])).rejects.toThrow(/cfn-guard exited with .*\n.*pars/i);
  });
});

describe('runCfnLint', () => {
  test('reports an invalid property as an error and nothing for a valid template, in one run', () => {
    const invalid = writeTemplate('invalid.json', {
      Queue: { Type: 'AWS::SQS::Queue', Properties: { NotAProperty: 1 } },
    });
    const valid = writeTemplate('valid.json', { Queue: { Type: 'AWS::SQS::Queue' } });

    const findings = runCfnLint([invalid, valid]);

    expect(findings).toEqual([
      expect.objectContaining({
        level: 'error',
        rule: 'E3002',
        path: 'Resources/Queue/Properties/NotAProperty',
        file: invalid,
      }),
    ]);
    expect(runCfnLint([invalid], { ignoreChecks: ['E3002'] })).toEqual([]);
  });
});

describe('synthesizedTemplates', () => {
  test('finds stack and product templates, ignoring asset directories', () => {
    const outdir = path.join(dir, 'cdk.out');
    fs.mkdirSync(path.join(outdir, 'asset.0123abcd'), { recursive: true });
    for (const f of [
      'Catalog.template.json',
      'CatalogEksCD1838FE.product.template.json',
      'manifest.json',
      'Catalog.assets.json',
      'asset.0123abcd/inner.template.json',
    ]) {
      fs.writeFileSync(path.join(outdir, f), '{}');
    }

    expect(synthesizedTemplates(outdir)).toEqual([
      path.join(outdir, 'Catalog.template.json'),
      path.join(outdir, 'CatalogEksCD1838FE.product.template.json'),
    ]);
  });
});
