import { ServiceAccountTokenNotMounted } from '../../../../nag-rules/rules/kubernetes/service-account-token-not-mounted';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import {
  checkManifest,
  checkManifestWithRef,
  cluster,
  deployment,
  editManifestApplying,
  manifest,
  pod,
  safeContainer,
} from './kubernetes-fixtures';

const serviceAccount = (name: string, extra: Record<string, unknown> = {}, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'workloads', ...(annotations ? { annotations } : {}) },
  ...extra,
});
const irsa = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app' };

describe('K8S-6 ServiceAccountTokenNotMounted', () => {
  test('compliant: default account without automount; pods without tokens or running as an account with an IAM role', () => {
    const result = checkManifest(ServiceAccountTokenNotMounted, [
      serviceAccount('default', { automountServiceAccountToken: false }),
      serviceAccount('app', {}, irsa),
      pod({ automountServiceAccountToken: false, containers: [safeContainer()] }),
      // Inherits automountServiceAccountToken: false from the default account the template applies.
      deployment({ containers: [safeContainer()] }, 'inherits'),
      deployment({ serviceAccountName: 'app', containers: [safeContainer()] }, 'with-irsa'),
    ]);
    expect(result.status).toBe('pass');
  });

  test('compliant: an EKS Pod Identity association gives the account its role', () => {
    const template = templateOf({
      Cluster: cluster(),
      M: manifest([
        deployment({ serviceAccountName: 'app', automountServiceAccountToken: true, containers: [safeContainer()] }),
      ]),
      Association: {
        Type: 'AWS::EKS::PodIdentityAssociation',
        Properties: {
          ClusterName: { Ref: 'Cluster' },
          Namespace: 'workloads',
          ServiceAccount: 'app',
          RoleArn: 'arn:aws:iam::111122223333:role/app',
        },
      },
    });
    expect(check(ServiceAccountTokenNotMounted, template, 'M').status).toBe('pass');
  });

  test('non-compliant: default account left mounting, pods with tokens for default or for an account without a role', () => {
    const result = checkManifest(ServiceAccountTokenNotMounted, [
      serviceAccount('default'),
      serviceAccount('plain'),
      pod({ automountServiceAccountToken: true, containers: [safeContainer()] }),
      deployment({ serviceAccountName: 'plain', containers: [safeContainer()] }),
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      'ServiceAccount workloads/default does not set automountServiceAccountToken: false',
      'Pod workloads/p mounts a service-account token (automountServiceAccountToken is true) for the default service account',
      "Deployment workloads/d mounts a service-account token (automountServiceAccountToken is not false, on the pod or its service account) for service account 'plain', which the template gives no IAM role",
    ]);
  });

  test('unresolved: automount of the default account from a parameter (Fn::Join manifest)', () => {
    const objects = [serviceAccount('default', { automountServiceAccountToken: 'MOUNT' })];
    const result = checkManifestWithRef(ServiceAccountTokenNotMounted, objects, 'MOUNT', 'Mount');
    expect(result.findings).toEqual([
      unresolvedFinding(/automountServiceAccountToken of ServiceAccount workloads\/default .*'Mount'/),
    ]);
  });

  test('the real product passes, and fails once its default service account mounts tokens again', () => {
    const template = productTemplate();
    expect(failures(ServiceAccountTokenNotMounted, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'ServiceAccount', name: 'default' }, (objects) => {
      delete objects[0].automountServiceAccountToken;
    });
    const failed = failures(ServiceAccountTokenNotMounted, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(messages(failed[0])).toEqual([
      'ServiceAccount workloads/default does not set automountServiceAccountToken: false',
    ]);
  });
});
