import * as path from 'path';
import { Aws, CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { OrganizationNode } from '../config/catalog-config';
import { CustomResourceHandler } from './custom-resource-handler';

export interface OrganizationPortfolioShareProps {
  readonly portfolio: servicecatalog.IPortfolio;
  /** The organization, or its OUs, to share with. */
  readonly nodes: OrganizationNode[];
}

/** The only Service Catalog actions the share handler may call, and only on the portfolio it shares. */
export const PORTFOLIO_SHARE_ACTIONS = [
  'servicecatalog:CreatePortfolioShare',
  'servicecatalog:UpdatePortfolioShare',
  'servicecatalog:DeletePortfolioShare',
] as const;

/**
 * Shares a portfolio with AWS Organizations nodes, TagOptions and principal names included (principal names
 * then give access in every account of the node). A custom resource, because CloudFormation's
 * AWS::ServiceCatalog::PortfolioShare takes only account IDs; the handler waits for each share to complete
 * and fails the deployment with AWS's error text when it does not.
 */
export class OrganizationPortfolioShare extends Construct {
  readonly handler: CustomResourceHandler;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OrganizationPortfolioShareProps) {
    super(scope, id);
    const portfolioArn = `arn:${Aws.PARTITION}:catalog:${Aws.REGION}:${Aws.ACCOUNT_ID}:portfolio/${props.portfolio.portfolioId}`;
    this.handler = new CustomResourceHandler(this, 'Share', {
      entry: path.join(__dirname, 'organization-portfolio-share', 'handler.ts'),
      description: 'Shares the portfolio with organization nodes and waits for each share to complete',
      // Organization shares run asynchronously; the handler follows each one until it completes.
      timeout: Duration.minutes(15),
      statements: [
        new iam.PolicyStatement({
          sid: 'ShareThisPortfolio',
          actions: [...PORTFOLIO_SHARE_ACTIONS],
          resources: [portfolioArn],
        }),
        // DescribePortfolioShareStatus has no resource type: it takes the token of an operation started above.
        new iam.PolicyStatement({
          sid: 'ReadShareStatus',
          actions: ['servicecatalog:DescribePortfolioShareStatus'],
          resources: ['*'],
        }),
      ],
    });
    acknowledge(
      this.handler.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only servicecatalog:DescribePortfolioShareStatus, which has no resource type: it reads the status of a share operation by its token.',
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.serviceToken,
      resourceType: 'Custom::OrganizationPortfolioShare',
      properties: {
        PortfolioId: props.portfolio.portfolioId,
        OrganizationNodes: props.nodes.map((node) => ({ Type: node.type, Value: node.value })),
      },
    });
  }
}
