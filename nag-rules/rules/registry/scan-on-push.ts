import { listMembers, literalAt } from '../../core/intrinsics';
import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal } from '../../core/values';

export const REPOSITORY = 'AWS::ECR::Repository';

/** REG-1: images are scanned on push (repository setting, or registry-wide scanning of the template). */
export const ScanOnPush: ThreatModelRule = {
  controlId: 'REG-1',
  threats: ['TH-2', 'AC-2', 'AC-3', 'PV-6'],
  level: 'warning',
  kind: 'misconfiguration',
  description:
    'ECR repositories set ImageScanningConfiguration.ScanOnPush true, or the template has an ' +
    'AWS::ECR::RegistryScanningConfiguration with ScanType ENHANCED (or BASIC with a scan-on-push rule for every repository)',
  explanation:
    'Scanning each pushed image finds known-vulnerable packages (AC-3) and some tampered images (AC-2) before ' +
    'they run and give an attacker a foothold in the cluster (TH-2); it is the periodic image scanning the threat model ' +
    'asks for (CC-DET).',
  resourceTypes: [REPOSITORY],
  evaluate({ model, properties }) {
    if (registryScansOnPush(model)) return COMPLIANT;
    const scan = literalAt(properties, 'ImageScanningConfiguration', 'ScanOnPush');
    if (!scan.known) return [unresolved('ImageScanningConfiguration.ScanOnPush', scan.because)];
    if (isTrue(scan.value)) return COMPLIANT;
    return [
      {
        message:
          'images are not scanned on push (ScanOnPush is not true, and no enhanced registry scanning in the template)',
      },
    ];
  },
};

/** True when a registry scanning configuration of the template scans every repository on push. */
function registryScansOnPush(model: TemplateModel): boolean {
  return model.resourcesOfType('AWS::ECR::RegistryScanningConfiguration').some(([, config]) => {
    const type = literal(config.Properties?.ScanType);
    if (type.known && type.value === 'ENHANCED') return true;
    return listMembers(config.Properties?.Rules).members.some(
      (rule) =>
        isObject(rule) &&
        literal(rule.ScanFrequency).known &&
        ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'].includes(rule.ScanFrequency) &&
        listMembers(rule.RepositoryFilters).members.some(
          (f) => isObject(f) && f.Filter === '*' && f.FilterType === 'WILDCARD',
        ),
    );
  });
}
