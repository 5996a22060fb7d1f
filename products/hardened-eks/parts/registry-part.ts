import * as ecr from 'aws-cdk-lib/aws-ecr';
import { PrivateRegistry } from '../../../lib/registry/private-registry';
import { restrictToolPushes, ToolPublishers } from '../../../lib/registry/tool-publishers';
import { HardenedEksProductContext } from './product-context';

/** The team's private ECR repositories and the security-tools repository only the platform's publishers push to. */
export class RegistryPart {
  readonly registry: PrivateRegistry;
  readonly workloadRepositories: ecr.Repository[];
  /** Holds the kube-bench and aws-cli images that run as root on the nodes. */
  readonly toolsRepository: ecr.Repository;
  /** Who alone may publish what runs as root on the nodes (kube-bench here, AVML in the evidence bucket). */
  readonly toolPublishers: ToolPublishers;

  constructor(context: HardenedEksProductContext) {
    const { settings } = context;
    const toolsRepositoryName = settings.detection.toolsRepository;
    this.registry = new PrivateRegistry(context.stack, 'Registry', {
      repositories: [...settings.repositories, toolsRepositoryName],
      organizationId: context.organizationId,
    });
    this.workloadRepositories = settings.repositories.map((name) => this.registry.repository(name));
    this.toolsRepository = this.registry.repository(toolsRepositoryName);
    // REG-6, REM-6.
    this.toolPublishers = {
      publisherArns: settings.toolsPublisherRoleArns,
      deploymentRoleArns: [context.launchRoleArn],
    };
    restrictToolPushes(this.toolsRepository, this.toolPublishers);
  }

  /** The tools repository's own RepositoryUri attribute (the L2 builds its URI from the ARN, which hides that it is ECR). */
  get toolsRepositoryUri(): string {
    return (this.toolsRepository.node.defaultChild as ecr.CfnRepository).attrRepositoryUri;
  }
}
