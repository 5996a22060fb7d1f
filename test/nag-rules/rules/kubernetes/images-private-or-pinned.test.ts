import { ImagesPrivateOrPinned, imageProblems } from '../../../../nag-rules/rules/kubernetes/images-private-or-pinned';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import {
  checkManifest,
  checkManifestWithRef,
  cluster,
  deployment,
  ECR_IMAGE,
  editManifestApplying,
  MANIFEST_TYPE,
  manifestTemplate,
  pod,
  safeContainer,
} from './kubernetes-fixtures';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const withImages = (...images: string[]) =>
  manifestTemplate([pod({ containers: images.map((image, i) => safeContainer(`c${i}`, { image })) })]);

describe('K8S-14 ImagesPrivateOrPinned', () => {
  test('compliant: tagged images of a private ECR registry, and public images pinned by digest', () => {
    expect(
      check(
        ImagesPrivateOrPinned,
        withImages(ECR_IMAGE, `docker.io/library/nginx@${DIGEST}`, `quay.io/tigera/operator:v1.36@${DIGEST}`),
        'M',
      ).status,
    ).toBe('pass');
  });

  test('compliant: an ECR URI built from the account, region, URL suffix and an ECR repository of the template', () => {
    const uri = [
      '',
      { Ref: 'AWS::AccountId' },
      '.dkr.ecr.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/',
      { Ref: 'Repo' },
      ':1.0',
    ];
    const json = JSON.stringify([pod({ containers: [safeContainer('app', { image: 'IMAGE' })] })]);
    const [before, after] = json.split('IMAGE');
    const template = templateOf({
      Cluster: cluster(),
      Repo: { Type: 'AWS::ECR::Repository', Properties: {} },
      M: {
        Type: MANIFEST_TYPE,
        Properties: {
          ClusterName: { Ref: 'Cluster' },
          Manifest: { 'Fn::Join': ['', [before, ...uri.slice(1), after]] },
        },
      },
    });
    expect(check(ImagesPrivateOrPinned, template, 'M').status).toBe('pass');
  });

  test('non-compliant: public images by tag, untagged, and :latest even from ECR', () => {
    const result = check(
      ImagesPrivateOrPinned,
      withImages('nginx', 'docker.io/library/nginx:1.25', '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:latest'),
      'M',
    );
    expect(messages(result)).toEqual([
      "image 'nginx' of container 'c0' of Pod workloads/p is neither from a private ECR registry nor pinned by digest and has no tag (pulls :latest)",
      "image 'docker.io/library/nginx:1.25' of container 'c1' of Pod workloads/p is neither from a private ECR registry nor pinned by digest",
      "image '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:latest' of container 'c2' of Pod workloads/p uses the mutable tag :latest",
    ]);
    expect(imageProblems('registry.example.com:5000/team/app')).toEqual([
      'is neither from a private ECR registry nor pinned by digest',
      'has no tag (pulls :latest)',
    ]);
  });

  test('non-compliant: init containers of workload templates are judged too', () => {
    const result = checkManifest(ImagesPrivateOrPinned, [
      deployment({
        containers: [safeContainer()],
        initContainers: [safeContainer('init', { image: 'busybox:latest' })],
      }),
    ]);
    expect(messages(result)).toEqual([
      expect.stringMatching(/^image 'busybox:latest' of init container 'init' of Deployment workloads\/d/),
    ]);
  });

  test('unresolved: the image comes from a parameter (Fn::Join manifest)', () => {
    const result = checkManifestWithRef(
      ImagesPrivateOrPinned,
      [pod({ containers: [safeContainer('app', { image: 'IMAGE' })] })],
      'IMAGE',
      'AppImage',
    );
    expect(result.findings).toEqual([unresolvedFinding(/image of container 'app' of Pod workloads\/p .*'AppImage'/)]);
  });

  const helmChart = (repository: string, values: Record<string, unknown>) =>
    templateOf({
      Cluster: cluster(),
      H: {
        Type: 'Custom::AWSCDK-EKS-HelmChart',
        Properties: {
          ClusterName: { Ref: 'Cluster' },
          Chart: 'tigera-operator',
          Repository: repository,
          Values: JSON.stringify(values),
        },
      },
    });

  test('Helm charts: compliant from a private ECR repository with images from a private ECR registry', () => {
    const ecr = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
    expect(
      check(ImagesPrivateOrPinned, helmChart(`oci://${ecr}/charts`, { installation: { registry: ecr } }), 'H').status,
    ).toBe('pass');
  });

  test("Helm charts: non-compliant from a public repository or with the chart's default registries", () => {
    const result = check(
      ImagesPrivateOrPinned,
      helmChart('https://docs.tigera.io/calico/charts', { installation: { kubernetesProvider: 'EKS' } }),
      'H',
    );
    expect(messages(result)).toEqual([
      "Helm chart 'tigera-operator' comes from 'https://docs.tigera.io/calico/charts', not a private ECR (oci://) repository",
      "the values of Helm chart 'tigera-operator' do not point its images at a private ECR registry (the chart's default registries)",
    ]);
  });

  test('the real product passes but for the Calico chart pulled from the public repository (an approved exemption), and fails once a manifest adds a pod with a public image', () => {
    const template = productTemplate();
    const [chart] = Object.entries(template.Resources).find(
      ([, r]: [string, any]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart',
    )!;
    expect(failures(ImagesPrivateOrPinned, template).map((e) => e.logicalId)).toEqual([chart]);
    const id = editManifestApplying(template, { kind: 'NetworkPolicy' }, (objects) => [
      ...objects,
      pod({ containers: [safeContainer('tools', { image: 'alpine:3' })] }),
    ]);
    const failed = failures(ImagesPrivateOrPinned, template).filter((e) => e.logicalId !== chart);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/^image 'alpine:3' of container 'tools'/);
  });
});
