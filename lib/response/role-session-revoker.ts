import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';

/** The revoker's code: inline in the template (under 4 KB), so what it writes is visible to any reviewer of the template. */
export const ROLE_SESSION_REVOKER_CODE = fs.readFileSync(
  path.join(__dirname, 'role-session-revoker', 'index.py'),
  'utf8',
);

export interface RoleSessionRevokerProps {
  /**
   * ARN patterns of the roles IR-3 may revoke sessions of (e.g. the platform's workload-role path). The revoker's own
   * role and `protectedRoleArns` are always excluded.
   */
  readonly revocableRoleArns: string[];
  /**
   * The launch's own roles: revocable only when they carry the launch's tag, since every launch of the product puts
   * its roles under the same IAM path. @default - none
   */
  readonly launchRoles?: LaunchRoles;
  /** Roles whose sessions must never be revoked from here (the automation role that invokes the revoker). */
  readonly protectedRoleArns?: string[];
  /** Key of the function's log group. @default - the log group is encrypted by CloudWatch Logs */
  readonly logKey?: kms.IKey;
  readonly logRetention?: logs.RetentionDays;
}

/** Roles of one launch: an ARN pattern and the tag only that launch's roles carry. */
export interface LaunchRoles {
  readonly arnPattern: string;
  readonly tagKey: string;
  readonly tagValue: string;
}

/**
 * IR-3's writer: a Lambda function whose fixed code puts only the revoke-older-sessions policy on a role. IAM cannot
 * limit PutRolePolicy to one policy name or document, so no role that runs arbitrary steps (the Automation role: any
 * automation document of the account can run as it) holds it; this function's role does, scoped to the revocable
 * paths, and only the automation role invokes the function (the guardrail denies everyone else).
 */
export class RoleSessionRevoker extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RoleSessionRevokerProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Hardened EKS IR-3 role-session revoker: writes the revoke-older-sessions policy, nothing else',
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));
    const revocation = ['iam:PutRolePolicy', 'iam:GetRolePolicy'];
    if (props.revocableRoleArns.length) allow('RevokeRoleSessions', revocation, props.revocableRoleArns);
    if (props.launchRoles) {
      allow('RevokeLaunchRoleSessions', revocation, [props.launchRoles.arnPattern], {
        StringEquals: { [`aws:ResourceTag/${props.launchRoles.tagKey}`]: props.launchRoles.tagValue },
      });
    }
    allow('OwnLogGroup', ['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'NeverRevokeTheResponders',
        effect: iam.Effect.DENY,
        actions: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
        resources: [this.role.roleArn, ...(props.protectedRoleArns ?? [])],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      description: 'IR-3: puts the AWSRevokeOlderSessions policy (deny sessions issued before now) on one role',
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ROLE_SESSION_REVOKER_CODE),
      role: this.role,
      timeout: Duration.seconds(30),
      logGroup: this.logGroup,
    });
    this.function.node.addDependency(this.role);

    acknowledge(
      this.function,
      'AwsSolutions-L1',
      "Python 3.13, as the incident responder and aws-cdk-lib's kubectl handler; the revoker moves runtime with them in a tested release.",
    );
    for (const pattern of [
      ...props.revocableRoleArns,
      ...(props.launchRoles ? [props.launchRoles.arnPattern] : []),
    ].filter((a) => a.includes('*'))) {
      acknowledge(
        this.role,
        `AwsSolutions-IAM5[Resource::${findingText(pattern)}]`,
        'IR-3 revokes sessions of roles created by the platform under these paths; the role names are not known in advance.',
      );
    }
  }
}

/** A resource as cdk-nag writes it in a finding ID: pseudo parameters as <AWS::Name>. */
export function findingText(arn: string): string {
  return Token.isUnresolved(arn)
    ? arn.replace(/\$\{Token\[AWS\.(\w+)\.\d+\]\}/g, (_, name: string) => `<AWS::${name}>`)
    : arn;
}
