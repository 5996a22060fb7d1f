import { App, AssumptionError, Errors, Stack, UnscopedValidationError, ValidationError } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { lit } from 'aws-cdk-lib/core/lib/helpers-internal';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Construct } from 'constructs';
import { AccountBaselineStack } from '../../lib/baseline/account-baseline-stack';
import { acknowledge } from '../../lib/compliance/acknowledge';
import { KubeBenchSchedule } from '../../lib/detection/kube-bench-schedule';
import { ConstructValidationError, validationErrorLine } from '../../lib/errors/construct-validation-error';
import { AdmissionPolicies, podPatchersMetadataOnly } from '../../lib/kubernetes/admission-policies';
import { PrivateRegistry } from '../../lib/registry/private-registry';
import { EvidenceBucket } from '../../lib/response/evidence-bucket';
import { thrownError } from '../support/thrown-error';

describe('ConstructValidationError', () => {
  const scope = new Construct(new Stack(new App(), 'Product'), 'Evidence');
  const error = new ConstructValidationError(scope, 'retentionDays', 'must be a positive whole number of days');

  test('names the construct path, the property and the rule, in the message and as fields', () => {
    expect(error.message).toBe('Product/Evidence: retentionDays must be a positive whole number of days');
    expect({ constructPath: error.constructPath, property: error.property, rule: error.rule }).toEqual({
      constructPath: 'Product/Evidence',
      property: 'retentionDays',
      rule: 'must be a positive whole number of days',
    });
    expect(String(error)).toBe(
      'ValidationError: Product/Evidence: retentionDays must be a positive whole number of days',
    );
  });

  test("is aws-cdk-lib's ValidationError and stays an instance of its own class", () => {
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error).toBeInstanceOf(ConstructValidationError);
    expect(error).toBeInstanceOf(Error);
  });
});

describe('validationErrorLine: one line, no stack trace', () => {
  test("this project's errors as they are", () => {
    const error = thrownError(
      () =>
        new EvidenceBucket(new Stack(new App(), 'Product'), 'Evidence', {
          retentionDays: 0,
          organizationId: 'o-a1b2c3d4e5',
        }),
      ConstructValidationError,
    );
    expect(validationErrorLine(error)).toBe(
      'ValidationError: Product/Evidence: retentionDays must be a positive whole number of days, got 0',
    );
  });

  test("aws-cdk-lib's own validation errors with the construct path and the error code, their lines joined", () => {
    const error = thrownError(
      () => new s3.Bucket(new Stack(new App(), 'Product'), 'Bucket', { bucketName: 'Not_A_Bucket' }),
      ValidationError,
    );
    const line = validationErrorLine(error)!;
    expect(line).toMatch(
      /^ValidationError: Product\/Bucket: Invalid S3 bucket name \(value: Not_A_Bucket\); Bucket name must .+ \(InvalidBucketNameValue\)$/,
    );
    expect(line).not.toContain('\n');
  });

  test("a validation error without a construct (a policy builder's) names the rule", () => {
    const error = thrownError(() => podPatchersMetadataOnly({}), UnscopedValidationError);
    expect(validationErrorLine(error)).toBe(
      'ValidationError: KubernetesSubjects must name at least one username or group (NoKubernetesSubjects)',
    );
  });

  test('nothing for other errors: a bug keeps its stack trace', () => {
    expect(validationErrorLine(new Error('boom'))).toBeUndefined();
    expect(validationErrorLine(new AssumptionError(lit`Broken`, 'an assumption broke'))).toBeUndefined();
    expect(validationErrorLine('a string')).toBeUndefined();
  });
});

describe('the constructs refuse bad values naming their path and the property', () => {
  let stack: Stack;
  let cluster: eks.Cluster;
  let n = 0;
  beforeAll(() => {
    stack = new Stack(new App(), 'Product');
    cluster = new eks.Cluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.V1_33,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Layer') },
    });
  });
  const kubeBench = (overrides: object) => (id: string) =>
    new KubeBenchSchedule(stack, id, {
      cluster,
      kubeBenchImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/tools:kube-bench-v0.16.0',
      awsCliImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/tools:aws-cli-2.27.50',
      benchmark: 'eks-1.8.0',
      logKey: new kms.Key(stack, `${id}Key`),
      logRetention: logs.RetentionDays.ONE_YEAR,
      alarmTopic: new sns.Topic(stack, `${id}Topic`),
      ...overrides,
    });
  const policies = (overrides: object) => (id: string) =>
    new AdmissionPolicies(stack, id, {
      cluster,
      podPatchers: { groups: ['responders'] },
      responders: { groups: ['responders'] },
      deployers: { usernames: ['deployer'] },
      label: 'quarantine',
      namespaces: ['workloads'],
      protectedPolicies: ['deny-all'],
      ...overrides,
    });

  test.each<[string, (id: string) => unknown, string, RegExp]>([
    [
      'EvidenceBucket',
      (id) => new EvidenceBucket(stack, id, { retentionDays: 1.5, organizationId: 'o-a1b2c3d4e5' }),
      'retentionDays',
      /^must be a positive whole number of days, got 1.5$/,
    ],
    [
      'KubeBenchSchedule (latest)',
      kubeBench({ kubeBenchImage: 'tools:latest' }),
      'kubeBenchImage',
      /^'tools:latest' must pin a tag other than latest/,
    ],
    [
      'KubeBenchSchedule (schedule)',
      kubeBench({ schedule: '0 3 * * 1' }),
      'schedule',
      /^'0 3 \* \* 1' must be a five-field cron expression that runs every day/,
    ],
    [
      'KubeBenchSchedule (benchmark)',
      kubeBench({ benchmark: 'cis-1.9' }),
      'benchmark',
      /^'cis-1.9' is not a kube-bench CIS Amazon EKS benchmark id/,
    ],
    [
      'AdmissionPolicies (responders)',
      policies({ responders: {} }),
      'responders',
      /^must name at least one username or group$/,
    ],
    [
      'AdmissionPolicies (deployers)',
      policies({ deployers: { usernames: [], groups: [] } }),
      'deployers',
      /^must name at least one username or group$/,
    ],
    [
      'PrivateRegistry',
      (id) =>
        new PrivateRegistry(stack, id, { repositories: ['workloads'], organizationId: 'o-a1b2c3d4e5' }).repository(
          'security-tools',
        ),
      'repositories',
      /^must include 'security-tools'$/,
    ],
    [
      'acknowledge',
      (id) => acknowledge(new Construct(stack, id), 'EKS-CLU-1', 'because'),
      'reason of the acknowledgement of EKS-CLU-1',
      /^must be one a reviewer can check/,
    ],
  ])('%s', (_name, build, property, rule) => {
    const id = `Case${n++}`;
    const {
      message,
      constructPath,
      property: named,
      rule: broken,
    } = thrownError(() => build(id), ConstructValidationError);
    expect({ constructPath, property: named }).toEqual({ constructPath: `Product/${id}`, property });
    expect(broken).toMatch(rule);
    expect(message).toBe(`Product/${id}: ${property} ${broken}`);
  });

  test('AccountBaselineStack with every part off', () => {
    const error = thrownError(
      () =>
        new AccountBaselineStack(new App(), 'Baseline', {
          guardDuty: false,
          config: false,
          enhancedImageScanning: false,
        }),
      ConstructValidationError,
    );
    expect(error.message).toMatch(
      /^Baseline: guardDuty, config and enhancedImageScanning must not all be false: every part of the account baseline is switched off/,
    );
  });
});
