import { HardenedEksSettings } from '../../products/hardened-eks/settings';
import { decide, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, defaultSettings, resourcesOfType, synthesizeCatalog } from '../support/project-app';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const OTHER_ORG_PRINCIPAL = 'arn:aws:iam::444455556666:role/Outsider';
const ORG_PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const ORG_PRINCIPAL_OTHER_ACCOUNT = 'arn:aws:iam::777788889999:role/CiPipeline';

const config = defaultConfig();
const settings: HardenedEksSettings = defaultSettings(config);

const allowEcrPull: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: '*' }],
};

describe('private registry of the hardened EKS product', () => {
  let template: Record<string, any>;

  beforeAll(() => {
    template = synthesizeCatalog(config).productJson;
  });

  const repository = (name: string): Record<string, any> => {
    const found = resourcesOfType(template, 'AWS::ECR::Repository').filter(
      ([, r]) => r.Properties.RepositoryName === name,
    );
    expect(found).toHaveLength(1);
    return found[0][1].Properties;
  };

  test('creates exactly the configured repositories and the security-tools repository', () => {
    expect(settings.repositories.length).toBeGreaterThan(0);
    const names = resourcesOfType(template, 'AWS::ECR::Repository').map(([, r]) => r.Properties.RepositoryName);
    expect([...names].sort()).toEqual([...settings.repositories, settings.detection.toolsRepository].sort());
  });

  describe.each(settings.repositories)('repository %s', (name) => {
    test('scans on push and has immutable tags', () => {
      const props = repository(name);
      expect(props.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
      expect(props.ImageTagMutability).toBe('IMMUTABLE');
    });

    test('is encrypted with a customer-managed KMS key that rotates', () => {
      const { EncryptionConfiguration: encryption } = repository(name);
      expect(encryption.EncryptionType).toBe('KMS');
      // The key must be one of the product's own keys (a GetAtt to an AWS::KMS::Key of this template).
      const keyRef = encryption.KmsKey;
      expect(keyRef).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      const key = template.Resources[keyRef['Fn::GetAtt'][0]];
      expect(key.Type).toBe('AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
    });

    test('has a lifecycle policy that expires untagged images and caps the image count', () => {
      const { LifecyclePolicy: lifecycle } = repository(name);
      expect(typeof lifecycle.LifecyclePolicyText).toBe('string');
      const rules: Record<string, any>[] = JSON.parse(lifecycle.LifecyclePolicyText).rules;

      const untagged = rules.filter((r) => r.selection.tagStatus === 'untagged' && r.action.type === 'expire');
      expect(untagged).toHaveLength(1);
      expect(untagged[0].selection.countType).toBe('sinceImagePushed');
      expect(untagged[0].selection.countUnit).toBe('days');
      expect(untagged[0].selection.countNumber).toBeGreaterThan(0);

      const cap = rules.filter((r) => r.selection.countType === 'imageCountMoreThan' && r.action.type === 'expire');
      expect(cap).toHaveLength(1);
      expect(cap[0].selection.tagStatus).toBe('any');
      expect(Number.isInteger(cap[0].selection.countNumber)).toBe(true);
      expect(cap[0].selection.countNumber).toBeGreaterThan(0);

      // ECR refuses a policy whose tagStatus "any" rule is not the one with the highest priority number.
      const priorities = rules.map((r) => r.rulePriority);
      expect(new Set(priorities).size).toBe(priorities.length);
      expect(cap[0].rulePriority).toBe(Math.max(...priorities));
    });

    test('its repository policy denies principals outside the organization', () => {
      const policy: PolicyDocument = repository(name).RepositoryPolicyText;
      const denies = [policy.Statement].flat().filter((s: any) => s.Effect === 'Deny');
      expect(denies.length).toBeGreaterThan(0);
      const orgDeny = denies.find((s: any) => JSON.stringify(s.Condition ?? {}).includes('aws:PrincipalOrgID'));
      expect(orgDeny).toBeDefined();
      expect(orgDeny.Principal).toEqual({ AWS: '*' });
      expect(JSON.stringify(orgDeny.Condition)).toContain(config.organizationId);
    });

    describe('repository policy, evaluated', () => {
      const repositoryArn = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
      const pull = (principalArn: string, orgId: string) => ({
        principalArn,
        action: 'ecr:BatchGetImage',
        resourceArn: repositoryArn,
        context: { 'aws:PrincipalOrgID': orgId, 'aws:PrincipalIsAWSService': 'false' },
      });
      const resourcePolicy = () => repository(name).RepositoryPolicyText as PolicyDocument;

      test('a principal of another organization is explicitly denied ecr:BatchGetImage, even with an identity allow', async () => {
        expect(
          await decide(
            { identityPolicies: [allowEcrPull], resourcePolicy: resourcePolicy() },
            pull(OTHER_ORG_PRINCIPAL, 'o-other'),
          ),
        ).toBe('ExplicitlyDenied');
        // Even a principal of the repository's own account is refused if it reports another organization.
        expect(
          await decide(
            { identityPolicies: [allowEcrPull], resourcePolicy: resourcePolicy() },
            pull(ORG_PRINCIPAL, 'o-other'),
          ),
        ).toBe('ExplicitlyDenied');
      });

      test('a principal of the configured organization is not explicitly denied', async () => {
        const withoutIdentityAllow = await decide(
          { identityPolicies: [], resourcePolicy: resourcePolicy() },
          pull(ORG_PRINCIPAL, config.organizationId),
        );
        expect(withoutIdentityAllow).not.toBe('ExplicitlyDenied');
        expect(withoutIdentityAllow).toBe('ImplicitlyDenied');
        // With its own account's identity allow, the pull goes through.
        expect(
          await decide(
            { identityPolicies: [allowEcrPull], resourcePolicy: resourcePolicy() },
            pull(ORG_PRINCIPAL, config.organizationId),
          ),
        ).toBe('Allowed');
        // Another account of the organization is not refused by the deny (it only lacks a cross-account allow).
        expect(
          await decide(
            { identityPolicies: [allowEcrPull], resourcePolicy: resourcePolicy() },
            pull(ORG_PRINCIPAL_OTHER_ACCOUNT, config.organizationId),
          ),
        ).not.toBe('ExplicitlyDenied');
      });
    });
  });
});
