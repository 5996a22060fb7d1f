import type { ThreatModelRule } from '../core/rule';
import type { Control } from '../matrix/controls';
import cisData from './cis-eks-1.8.0.json';
import nistData from './nist-800-53-rev5.json';

/** One recommendation of the CIS Amazon EKS Benchmark (as kube-bench's cfg/eks-* files list them). */
export interface CisRecommendation {
  readonly id: string;
  readonly title: string;
  readonly assessment: 'automated' | 'manual';
  readonly section: string;
}

export const CIS_EKS_BENCHMARK = {
  name: `${cisData.benchmark} ${cisData.version}`,
  source: cisData.source,
  recommendations: cisData.recommendations as readonly CisRecommendation[],
};

export const NIST_800_53 = {
  name: `${nistData.catalog} (${nistData.version})`,
  source: nistData.source,
  controls: nistData.controls as readonly { readonly id: string; readonly title: string }[],
};

/** The frameworks `--framework` accepts. */
export const FRAMEWORKS = ['cis-eks'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

const CIS_BY_ID = new Map(CIS_EKS_BENCHMARK.recommendations.map((r) => [r.id, r]));
const NIST_BY_ID = new Map(NIST_800_53.controls.map((c) => [c.id, c]));

export function cisRecommendation(id: string): CisRecommendation | undefined {
  return CIS_BY_ID.get(id);
}

/** What a control's framework mapping names that the data files do not list. */
export function unknownFrameworkIds(control: Pick<Control, 'cisEks' | 'nist80053'>): string[] {
  return [
    ...control.cisEks.filter((id) => !CIS_BY_ID.has(id)).map((id) => `CIS EKS ${id}`),
    ...control.nist80053.filter((id) => !NIST_BY_ID.has(id)).map((id) => `NIST SP 800-53 ${id}`),
  ];
}

/** Tags naming a control's framework references, as SARIF rule tags and JUnit properties carry them. */
export function frameworkTags(control: Pick<Control, 'cisEks' | 'nist80053'> | undefined): string[] {
  if (!control) return [];
  return [...control.cisEks.map((id) => `CIS-EKS-${id}`), ...control.nist80053.map((id) => `NIST-800-53-${id}`)];
}

/** How the pack covers one recommendation. */
export type Coverage = 'covered' | 'process-only' | 'not-covered';

export interface RecommendationCoverage extends CisRecommendation {
  readonly coverage: Coverage;
  /** The controls that map to it (checked by a rule, or process-only). */
  readonly controls: readonly string[];
}

/**
 * Coverage of every CIS EKS recommendation: `covered` when a control mapped to it is checked by one of `rules`,
 * `process-only` when only process-only controls map to it, else `not-covered`.
 */
export function cisCoverage(controls: readonly Control[], rules: readonly ThreatModelRule[]): RecommendationCoverage[] {
  const checked = new Set(rules.map((r) => r.controlId));
  return CIS_EKS_BENCHMARK.recommendations.map((recommendation) => {
    const mapped = controls.filter((c) => c.cisEks.includes(recommendation.id));
    const byRule = mapped.filter((c) => checked.has(c.id));
    const byProcess = mapped.filter((c) => c.processOnly !== undefined);
    const coverage: Coverage = byRule.length ? 'covered' : byProcess.length ? 'process-only' : 'not-covered';
    return { ...recommendation, coverage, controls: (byRule.length ? byRule : byProcess).map((c) => c.id) };
  });
}

/** The matrix's CIS EKS mapping in the shape of the reports' framework mappings (for the backlog's coverage gaps). */
export function cisFrameworkMapping(controls: readonly Control[]): {
  framework: string;
  recommendations: { id: string; title: string; controls: string[] }[];
} {
  return {
    framework: CIS_EKS_BENCHMARK.name,
    recommendations: CIS_EKS_BENCHMARK.recommendations.map((r) => ({
      id: r.id,
      title: r.title,
      controls: controls.filter((c) => c.cisEks.includes(r.id)).map((c) => c.id),
    })),
  };
}
