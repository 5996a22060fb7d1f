import { ContainerOptimizedOs } from '../../../../nag-rules/rules/nodes/container-optimized-os';
import { failures, productTemplate } from '../../rule-harness';
import { checkNodegroup, productNodegroup } from './fixtures';
import { messages, unresolvedFinding } from '../../rule-findings';

/** ContainerOptimizedOs on a node group of the AMI type. */
const withAmi = (amiType: unknown) =>
  checkNodegroup(ContainerOptimizedOs, (r) => {
    r.NG.Properties.AmiType = amiType;
  });

describe('NOD-5 ContainerOptimizedOs', () => {
  test('is a warning (corrective control)', () => {
    expect(ContainerOptimizedOs.level).toBe('warning');
  });
  test('compliant: AL2023 and Bottlerocket', () => {
    expect(withAmi('AL2023_ARM_64_STANDARD').status).toBe('pass');
    expect(withAmi('BOTTLEROCKET_x86_64').status).toBe('pass');
  });
  test('non-compliant: AL2, or AmiType absent (EKS picks a default)', () => {
    expect(withAmi('AL2_x86_64').findings).toEqual([
      { message: "AmiType 'AL2_x86_64' is not a container-optimized OS: use AL2023_* or BOTTLEROCKET_*" },
    ]);
    const absent = checkNodegroup(ContainerOptimizedOs, (r) => {
      delete r.NG.Properties.AmiType;
    });
    expect(absent.findings[0].message).toMatch(/^AmiType is absent/);
  });
  test('a parameter is judged by its allowed values', () => {
    const parameters = (allowed: string[]) => ({ Parameters: { Ami: { Type: 'String', AllowedValues: allowed } } });
    const good = checkNodegroup(
      ContainerOptimizedOs,
      (r) => {
        r.NG.Properties.AmiType = { Ref: 'Ami' };
      },
      parameters(['AL2023_x86_64_STANDARD', 'BOTTLEROCKET_x86_64']),
    );
    expect(good.status).toBe('pass');
    const bad = checkNodegroup(
      ContainerOptimizedOs,
      (r) => {
        r.NG.Properties.AmiType = { Ref: 'Ami' };
      },
      parameters(['AL2023_x86_64_STANDARD', 'AL2_x86_64']),
    );
    expect(messages(bad)).toEqual([expect.stringMatching(/'AL2_x86_64'/)]);
  });
  test('unresolved: a custom AMI, or an unconstrained parameter', () => {
    expect(withAmi('CUSTOM').findings[0]).toEqual(unresolvedFinding());
    const image = checkNodegroup(ContainerOptimizedOs, (r) => {
      delete r.NG.Properties.AmiType;
      r.LT.Properties.LaunchTemplateData.ImageId = 'ami-0123';
    });
    expect(image.findings[0]).toEqual(unresolvedFinding(/ImageId\) of launch template LT/));
    expect(withAmi({ Ref: 'Ami' }).findings[0]).toEqual(unresolvedFinding());
  });
  test('the real product passes, and fails on its node group once it runs AL2', () => {
    const template = productTemplate();
    expect(failures(ContainerOptimizedOs, template)).toEqual([]);
    const { nodegroup } = productNodegroup(template);
    template.Resources[nodegroup].Properties.AmiType = 'AL2_x86_64';
    expect(failures(ContainerOptimizedOs, template).map((e) => e.logicalId)).toEqual([nodegroup]);
  });
});
