import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';

export interface CustomResourceHandlerProps {
  /** The handler's TypeScript file; it exports `handler` for CDK's provider framework (return the result or throw). */
  readonly entry: string;
  readonly description: string;
  /** What the handler may do besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  /** @default 5 minutes */
  readonly timeout?: Duration;
  /** @default one year */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A custom resource handler in TypeScript behind CDK's provider framework, which answers CloudFormation. The
 * handler gets a role with exactly `statements` and its own log group; the AWS SDK is bundled with it, so the
 * function runs the client version its tests ran against.
 */
export class CustomResourceHandler extends Construct {
  readonly handler: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly serviceToken: string;

  constructor(scope: Construct, id: string, props: CustomResourceHandlerProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
      inlinePolicies: {
        Handler: new iam.PolicyDocument({
          statements: [
            ...props.statements,
            new iam.PolicyStatement({
              sid: 'OwnLogGroup',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      entry: props.entry,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      role: this.role,
      logGroup,
      timeout: props.timeout ?? Duration.minutes(5),
      bundling: { externalModules: [], minify: true },
    });
    const provider = new cr.Provider(this, 'Provider', { onEventHandler: this.handler, logGroup });
    this.serviceToken = provider.serviceToken;
    acknowledge(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's provider framework function writes its own logs with the basic Lambda execution policy; it holds no other AWS permission.",
    );
    acknowledge(
      provider,
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.handler)}.Arn>:*]`,
      "CDK's provider framework may invoke this one handler and its versions or aliases (the :* qualifier), nothing else.",
    );
  }
}
