import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';

/** What CDK's provider framework function is given: the basic Lambda execution policy and invoking its one handler. */
export function acknowledgeProviderFramework(provider: cr.Provider, handler: lambda.IFunction): void {
  acknowledge(provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'CDK\'s provider framework function writes its own logs with the basic Lambda execution policy; it holds no other AWS permission.');
  acknowledge(provider, `AwsSolutions-IAM5[Resource::<${logicalIdOf(handler)}.Arn>:*]`,
    'CDK\'s provider framework may invoke this one handler and its versions or aliases (the :* qualifier), nothing else.');
}
