import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivilegedFunctionAlerts } from '../../../lib/detection/privileged-function-alerts';
import { privilegedFunctionGuardrailStatements } from '../../../lib/identity/privileged-function-guardrail';
import { ClusterPart } from './cluster-part';
import { DetectionPart } from './detection-part';
import { IncidentResponsePart } from './incident-response-part';
import { HardenedEksProductContext } from './product-context';

/**
 * The privileged functions (IDN-8, DET-6): the guardrail keeps invoking each to its own caller and changing it to the
 * launch role (through CloudFormation); an alert reports anyone else doing either. It guards functions of the cluster
 * and of incident response, so it comes after both.
 */
export class PrivilegedFunctionsPart {
  readonly guardrail: iam.ManagedPolicy;
  readonly alerts: PrivilegedFunctionAlerts;

  constructor(context: HardenedEksProductContext) {
    const { stack, launchRoleArn } = context;
    const { handler, framework } = context.part(ClusterPart).hardenedCluster.kubectlFunctions;
    const { responder, runbooks } = context.part(IncidentResponsePart);
    const responders = [runbooks.automationRole.role.roleArn];
    const functions = [
      { name: 'KubectlHandler', fn: handler, invokerArns: [framework.role!.roleArn] },
      { name: 'KubectlProvider', fn: framework, invokerArns: [launchRoleArn] },
      { name: 'IncidentResponder', fn: responder.function, invokerArns: responders },
      { name: 'RoleSessionRevoker', fn: runbooks.revoker.function, invokerArns: responders },
    ].map(({ name, fn, invokerArns }) => ({
      name,
      functionName: fn.functionName,
      functionArn: fn.functionArn,
      invokerArns,
      role: fn.role!,
    }));
    // A policy of its own: with the admin APIs' statements it would pass IAM's 6,144-character managed-policy limit.
    this.guardrail = new iam.ManagedPolicy(stack, 'PrivilegedFunctionGuardrail', {
      description: "Keeps the product's privileged Lambda functions to their own callers and to CloudFormation",
      statements: privilegedFunctionGuardrailStatements({
        functions,
        executionRoleArns: functions.map((f) => f.role.roleArn),
        deploymentRoleArns: [launchRoleArn],
      }),
    });
    this.alerts = new PrivilegedFunctionAlerts(stack, 'PrivilegedFunctionAlerts', {
      topic: context.part(DetectionPart).alerts.topic,
      functions,
      deploymentRoleArns: [launchRoleArn],
    });
  }
}
