import { IdentifyRunbook } from '../../../../nag-rules/rules/response/identify-runbook';
import { check, failures, productTemplate } from '../../rule-harness';
import { messageLines, messages } from '../../rule-findings';
import { responseTemplate } from './fixtures';

/** REM-1: IR-1 can report the identity EKS issued a pod, not only the annotation namespace editors control. */
describe("REM-1: the responder IR-1 invokes may read the cluster's Pod Identity associations", () => {
  test('compliant: list on the cluster, describe on its associations (or on *)', () => {
    expect(check(IdentifyRunbook, responseTemplate(), 'C').status).toBe('pass');
    const wide = responseTemplate();
    wide.Resources.ResponderPolicy.Properties.PolicyDocument.Statement = [
      {
        Effect: 'Allow',
        Action: ['eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation'],
        Resource: '*',
      },
    ];
    expect(check(IdentifyRunbook, wide, 'C').status).toBe('pass');
  });

  test('non-compliant: the responder may read annotations only (no Pod Identity reads, or only on another cluster)', () => {
    const none = responseTemplate();
    delete none.Resources.ResponderPolicy;
    expect(messageLines(check(IdentifyRunbook, none, 'C'))).toMatch(
      /the functions Identify invokes \(Responder\) may not eks:ListPodIdentityAssociations and eks:DescribePodIdentityAssociation on the cluster: IR-1 could only read service-account annotations/,
    );
    const other = responseTemplate();
    other.Resources.ResponderPolicy.Properties.PolicyDocument.Statement[0].Resource =
      'arn:aws:eks:eu-west-1:111122223333:cluster/other';
    expect(check(IdentifyRunbook, other, 'C').status).toBe('fail');
  });

  test('the real product passes; it fails once the responder loses its Pod Identity reads', () => {
    const template = productTemplate();
    expect(failures(IdentifyRunbook, template)).toEqual([]);
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      for (const statement of resource.Properties.PolicyDocument.Statement) {
        if ([statement.Action].flat().includes('eks:ListPodIdentityAssociations'))
          statement.Action = [statement.Action].flat().filter((a: string) => a !== 'eks:ListPodIdentityAssociations');
      }
    }
    expect(messages(failures(IdentifyRunbook, template)[0])).toEqual([
      expect.stringMatching(
        /may not eks:ListPodIdentityAssociations and eks:DescribePodIdentityAssociation on the cluster/,
      ),
    ]);
  });
});
