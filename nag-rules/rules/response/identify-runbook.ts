import { coversAction, isAllow, literalStrings, policiesOfRole, statementsOf } from '../../core/iam-documents';
import { asArray, renderText } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import {
  invokedFunctions,
  judgeRunbooks,
  kubernetesCallProblems,
  RUNBOOK_TAG,
  RunbookDocument,
} from '../../core/runbook-documents';
import { TemplateModel } from '../../core/template-model';

/** What the responder needs to report the roles EKS issues through Pod Identity (not what annotations claim). */
export const POD_IDENTITY_READS = ['eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation'] as const;

/** Why none of the functions the runbook invokes may read the cluster's Pod Identity associations. */
function podIdentityProblems(model: TemplateModel, clusterId: string, document: RunbookDocument): string[] {
  const functions = invokedFunctions(model, document).filter((f) => f.inVpc);
  const able = functions.some(({ id }) => {
    const roles = model
      .referencedIds(model.resource(id)?.Properties?.Role)
      .filter((r) => model.resource(r)?.Type === 'AWS::IAM::Role');
    const statements = roles
      .flatMap((r) => policiesOfRole(model, r).documents.flatMap((d) => statementsOf(d.document).statements))
      .filter(isAllow);
    return POD_IDENTITY_READS.every((action) =>
      statements.some(
        (s) =>
          coversAction(s, action) === 'yes' &&
          (literalStrings(s.Resource).values.includes('*') ||
            model.referencedIds(s.Resource).includes(clusterId) ||
            asArray(s.Resource).some((r) => renderText(r)?.includes(':podidentityassociation/'))),
      ),
    );
  });
  return able
    ? []
    : [
        `the functions ${document.logicalId} invokes (${functions.map((f) => f.id).join(', ') || 'none in the VPC'}) may not ` +
          `${POD_IDENTITY_READS.join(' and ')} on the cluster: IR-1 could only read service-account annotations, which namespace editors control`,
      ];
}

/** REM-1: the IR-1 runbook identifies the offending pod and node, and the identity EKS issued it (judged on the cluster). */
export const IdentifyRunbook: ThreatModelRule = {
  controlId: 'REM-1',
  threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `An SSM Automation document (schemaVersion 0.3, with an assumeRole) tagged ${RUNBOOK_TAG}=IR-1 belongs to the cluster ` +
    'and asks the Kubernetes API, through a Lambda function of the template inside the VPC, for the pods and nodes; that function may ' +
    `read the cluster's Pod Identity associations (${POD_IDENTITY_READS.join(', ')})`,
  explanation:
    'IR-1: every runbook starts by finding the offending pod and its node (by node, deployment, label or service account). ' +
    'The API endpoint is private, so the lookup must run inside the VPC; a responder with no tool at hand loses the volatile ' +
    "evidence the later steps capture. The roles to revoke (IR-3) are the ones EKS issued the pod: a service account's " +
    "annotation is only a claim that namespace editors can change after the pod started, so the responder reads the pod's own " +
    'spec and the Pod Identity associations from EKS.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-1', [
      { does: 'find the pods and nodes through the Kubernetes API', problems: (d) => kubernetesCallProblems(model, d) },
      {
        does: 'report the identity EKS issued the pods (Pod Identity associations)',
        problems: (d) => podIdentityProblems(model, logicalId, d),
      },
    ]);
  },
};
