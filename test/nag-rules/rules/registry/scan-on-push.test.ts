import { ScanOnPush } from '../../../../nag-rules/rules/registry/scan-on-push';
import { failures, productTemplate } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';
import { checkRepository, productWithRepository } from './fixtures';

/** A registry scanning configuration of the type, with the rules. */
const registryScanning = (ScanType: string, Rules: unknown[] = []) => ({
  Scanning: { Type: 'AWS::ECR::RegistryScanningConfiguration', Properties: { ScanType, Rules } },
});

describe('REG-1 ScanOnPush', () => {
  test('is a warning (detective control)', () => {
    expect(ScanOnPush.level).toBe('warning');
  });
  test('compliant: scan on push, or enhanced registry scanning', () => {
    expect(checkRepository(ScanOnPush).status).toBe('pass');
    const enhanced = checkRepository(
      ScanOnPush,
      (p) => {
        delete p.ImageScanningConfiguration;
      },
      registryScanning('ENHANCED'),
    );
    expect(enhanced.status).toBe('pass');
  });
  test('non-compliant: no scanning configuration, or basic registry scanning without an on-push rule', () => {
    const none = checkRepository(ScanOnPush, (p) => {
      delete p.ImageScanningConfiguration;
    });
    expect(none.findings[0].message).toMatch(/^images are not scanned on push/);
    const basic = checkRepository(
      ScanOnPush,
      (p) => {
        p.ImageScanningConfiguration.ScanOnPush = false;
      },
      registryScanning('BASIC', [
        { ScanFrequency: 'MANUAL', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] },
      ]),
    );
    expect(basic.status).toBe('fail');
  });
  test('unresolved: a parameter decides', () => {
    const fromParameter = checkRepository(ScanOnPush, (p) => {
      p.ImageScanningConfiguration.ScanOnPush = { Ref: 'Scan' };
    });
    expect(fromParameter.findings).toEqual([unresolvedFinding()]);
  });
  test('the real product passes, and fails on its repository once scan on push is off', () => {
    expect(failures(ScanOnPush, productTemplate())).toEqual([]);
    const { template, repository } = productWithRepository((p) => {
      p.ImageScanningConfiguration.ScanOnPush = false;
    });
    expect(failures(ScanOnPush, template).map((e) => e.logicalId)).toEqual([repository]);
  });
});
