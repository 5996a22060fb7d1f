import {
  CIS_EKS_BENCHMARK,
  cisCoverage,
  cisRecommendation,
  frameworkTags,
  NIST_800_53,
  unknownFrameworkIds,
} from '../../../nag-rules/frameworks/frameworks';
import { Control, CONTROLS } from '../../../nag-rules/matrix/controls';
import { ALL_RULES } from '../../../nag-rules/rules';

describe('the framework data files', () => {
  test('name their source and hold the CIS EKS 1.8.0 recommendations and NIST SP 800-53 Rev. 5 controls', () => {
    expect(CIS_EKS_BENCHMARK.source).toMatchObject({
      repository: 'https://github.com/aquasecurity/kube-bench',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(NIST_800_53.source).toMatchObject({
      repository: 'https://github.com/usnistgov/oscal-content',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(cisRecommendation('5.4.2')?.title).toBe(
      'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
    );
    expect(cisRecommendation('4.1.1')).toMatchObject({
      assessment: 'automated',
      section: '4.1 RBAC and Service Accounts',
    });
    expect(new Set(CIS_EKS_BENCHMARK.recommendations.map((r) => r.id)).size).toBe(
      CIS_EKS_BENCHMARK.recommendations.length,
    );
    expect(NIST_800_53.controls.find((c) => c.id === 'AC-6')?.title).toBe('Least Privilege');
  });
});

describe('every control of the matrix maps to the frameworks', () => {
  test.each(CONTROLS.map((c) => [c.id, c] as const))(
    '%s has a CIS EKS and a NIST mapping, naming only known IDs',
    (_id, control) => {
      expect(Array.isArray(control.cisEks)).toBe(true);
      expect(Array.isArray(control.nist80053)).toBe(true);
      expect(control.cisEks.length + control.nist80053.length).toBeGreaterThan(0);
      expect(unknownFrameworkIds(control)).toEqual([]);
    },
  );

  test('an unknown ID is named', () => {
    const bogus: Pick<Control, 'cisEks' | 'nist80053'> = { cisEks: ['5.4.2', '9.9.9'], nist80053: ['AC-6', 'ZZ-1'] };
    expect(unknownFrameworkIds(bogus)).toEqual(['CIS EKS 9.9.9', 'NIST SP 800-53 ZZ-1']);
  });

  test('tags name both frameworks', () => {
    expect(frameworkTags(CONTROLS.find((c) => c.id === 'CLU-1'))).toEqual([
      'CIS-EKS-5.4.1',
      'CIS-EKS-5.4.2',
      'NIST-800-53-SC-7',
      'NIST-800-53-AC-17',
    ]);
  });
});

describe('cisCoverage', () => {
  const coverage = new Map(cisCoverage(CONTROLS, ALL_RULES).map((r) => [r.id, r]));

  test('a recommendation mapped to a control a rule checks is covered, by that control', () => {
    expect(coverage.get('5.4.2')).toMatchObject({ coverage: 'covered', controls: ['CLU-1'] });
  });

  test('one mapped only to a process-only control is process-only', () => {
    // 5.1.1 (image scanning) maps to REG-1 (a rule) and DET-4 (Amazon Inspector, process-only).
    expect(coverage.get('5.1.1')).toMatchObject({ coverage: 'covered', controls: ['REG-1'] });
    const withoutRules = cisCoverage(
      CONTROLS,
      ALL_RULES.filter((r) => r.controlId !== 'REG-1'),
    );
    expect(withoutRules.find((r) => r.id === '5.1.1')).toMatchObject({ coverage: 'process-only', controls: ['DET-4'] });
  });

  test('one no control maps is not covered, and every recommendation gets one status', () => {
    expect(coverage.get('4.4.2')).toMatchObject({ coverage: 'not-covered', controls: [] });
    expect(coverage.size).toBe(CIS_EKS_BENCHMARK.recommendations.length);
  });
});
