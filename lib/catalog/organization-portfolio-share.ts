import * as path from 'path';
import { Aws, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { OrganizationNode } from '../config/catalog-config';
import { acknowledge } from '../compliance/acknowledge';
import { acknowledgeProviderFramework } from './provider-framework-acknowledgements';

export interface OrganizationPortfolioShareProps {
  readonly portfolio: servicecatalog.IPortfolio;
  /** The organization, or its OUs, to share with. */
  readonly nodes: OrganizationNode[];
  /** @default one year */
  readonly logRetention?: logs.RetentionDays;
}

/** The only Service Catalog actions the share handler may call, and only on the portfolio it shares. */
export const PORTFOLIO_SHARE_ACTIONS = [
  'servicecatalog:CreatePortfolioShare', 'servicecatalog:UpdatePortfolioShare', 'servicecatalog:DeletePortfolioShare',
] as const;

/**
 * Shares a portfolio with AWS Organizations nodes, TagOptions and principal names included (principal names
 * then give access in every account of the node). A custom resource, because CloudFormation's
 * AWS::ServiceCatalog::PortfolioShare takes only account IDs; the handler waits for each share to complete
 * and fails the deployment with AWS's error text when it does not.
 */
export class OrganizationPortfolioShare extends Construct {
  readonly handler: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OrganizationPortfolioShareProps) {
    super(scope, id);
    const portfolioArn = `arn:${Aws.PARTITION}:catalog:${Aws.REGION}:${Aws.ACCOUNT_ID}:portfolio/${props.portfolio.portfolioId}`;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Shares Service Catalog portfolio ${props.portfolio.node.path} with organization nodes`,
      inlinePolicies: {
        SharePortfolio: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'ShareThisPortfolio', actions: [...PORTFOLIO_SHARE_ACTIONS], resources: [portfolioArn] }),
            // DescribePortfolioShareStatus has no resource type: it takes the token of an operation started above.
            new iam.PolicyStatement({ sid: 'ReadShareStatus', actions: ['servicecatalog:DescribePortfolioShareStatus'], resources: ['*'] }),
            new iam.PolicyStatement({ sid: 'OwnLogGroup', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
          ],
        }),
      },
    });
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      entry: path.join(__dirname, 'organization-portfolio-share', 'handler.ts'),
      description: 'Shares the portfolio with organization nodes and waits for each share to complete',
      runtime: lambda.Runtime.NODEJS_24_X,
      role: this.role,
      logGroup,
      timeout: Duration.minutes(15),
      // The SDK is bundled, so the function runs the client version its tests ran against.
      bundling: { externalModules: [], minify: true },
    });
    const provider = new cr.Provider(this, 'Provider', { onEventHandler: this.handler, logGroup });
    acknowledgeProviderFramework(provider, this.handler);
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]',
      'Only servicecatalog:DescribePortfolioShareStatus, which has no resource type: it reads the status of a share operation by its token.');

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OrganizationPortfolioShare',
      properties: {
        PortfolioId: props.portfolio.portfolioId,
        OrganizationNodes: props.nodes.map((node) => ({ Type: node.type, Value: node.value })),
      },
    });
  }
}
