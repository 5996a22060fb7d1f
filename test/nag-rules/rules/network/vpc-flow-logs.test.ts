import { VpcFlowLogs } from '../../../../nag-rules/rules/network/vpc-flow-logs';
import { failures, idsOfType, productTemplate } from '../../rule-harness';
import { checkVpc } from './fixtures';
import { unresolvedFinding } from '../../rule-findings';

describe('NET-4 VpcFlowLogs', () => {
  test('is a warning (detective control)', () => {
    expect(VpcFlowLogs.level).toBe('warning');
  });
  test('compliant: a flow log of ALL traffic references the VPC', () => {
    expect(checkVpc(VpcFlowLogs).status).toBe('pass');
  });
  test('non-compliant: no flow log, or one of rejected traffic only', () => {
    expect(
      checkVpc(VpcFlowLogs, (r) => {
        delete r.Flow;
      }).findings,
    ).toEqual([{ message: 'no AWS::EC2::FlowLog records VPC Vpc' }]);
    expect(
      checkVpc(VpcFlowLogs, (r) => {
        r.Flow.Properties.TrafficType = 'REJECT';
      }).findings,
    ).toEqual([{ message: 'flow log Flow records only REJECT traffic: record ALL' }]);
  });
  test('unresolved: traffic type from a parameter', () => {
    expect(
      checkVpc(VpcFlowLogs, (r) => {
        r.Flow.Properties.TrafficType = { Ref: 'Traffic' };
      }).findings[0],
    ).toEqual(unresolvedFinding());
  });
  test('the real product passes, and fails on its VPC once the flow log is removed', () => {
    const template = productTemplate();
    expect(failures(VpcFlowLogs, template)).toEqual([]);
    const [vpc] = idsOfType(template, 'AWS::EC2::VPC');
    for (const id of idsOfType(template, 'AWS::EC2::FlowLog')) delete template.Resources[id];
    expect(failures(VpcFlowLogs, template).map((e) => e.logicalId)).toEqual([vpc]);
  });
});
