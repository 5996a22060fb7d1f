import { ScanOnPush } from '../../../../nag-rules/rules/registry/scan-on-push';
import { check, failures, productTemplate } from '../../rule-harness';
import { productRepository, repositoryTemplate } from './fixtures';

describe('REG-1 ScanOnPush', () => {
  test('is a warning (detective control)', () => {
    expect(ScanOnPush.level).toBe('warning');
  });
  test('compliant: scan on push, or enhanced registry scanning', () => {
    expect(check(ScanOnPush, repositoryTemplate(), 'R').status).toBe('pass');
    const enhanced = repositoryTemplate(
      (p) => {
        delete p.ImageScanningConfiguration;
      },
      {
        Scanning: { Type: 'AWS::ECR::RegistryScanningConfiguration', Properties: { ScanType: 'ENHANCED', Rules: [] } },
      },
    );
    expect(check(ScanOnPush, enhanced, 'R').status).toBe('pass');
  });
  test('non-compliant: no scanning configuration, or basic registry scanning without an on-push rule', () => {
    expect(
      check(
        ScanOnPush,
        repositoryTemplate((p) => {
          delete p.ImageScanningConfiguration;
        }),
        'R',
      ).findings[0].message,
    ).toMatch(/^images are not scanned on push/);
    const basic = repositoryTemplate(
      (p) => {
        p.ImageScanningConfiguration.ScanOnPush = false;
      },
      {
        Scanning: {
          Type: 'AWS::ECR::RegistryScanningConfiguration',
          Properties: {
            ScanType: 'BASIC',
            Rules: [{ ScanFrequency: 'MANUAL', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
          },
        },
      },
    );
    expect(check(ScanOnPush, basic, 'R').status).toBe('fail');
  });
  test('unresolved: a parameter decides', () => {
    expect(
      check(
        ScanOnPush,
        repositoryTemplate((p) => {
          p.ImageScanningConfiguration.ScanOnPush = { Ref: 'Scan' };
        }),
        'R',
      ).findings[0],
    ).toMatchObject({ unresolved: true });
  });
  test('the real product passes, and fails on its repository once scan on push is off', () => {
    const template = productTemplate();
    expect(failures(ScanOnPush, template)).toEqual([]);
    const repository = productRepository(template);
    template.Resources[repository].Properties.ImageScanningConfiguration.ScanOnPush = false;
    expect(failures(ScanOnPush, template).map((e) => e.logicalId)).toEqual([repository]);
  });
});
