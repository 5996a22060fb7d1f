import type { Exemption } from '../exemptions/register';
import { Control } from '../matrix/controls';
import { Owner } from '../matrix/owners';
import type { ControlRow, ViolationRow } from './matrix-report';

/**
 * The corrective loop of the threat model (CC-COR, "iterative hardening"): what stays open after a synth, so that
 * each review of the matrix starts from it.
 */

/** A framework's recommendations mapped to the controls of the matrix that cover them. */
export interface FrameworkMapping {
  /** e.g. `CIS Amazon EKS Benchmark v1.8.0` */
  readonly framework: string;
  readonly recommendations: readonly {
    readonly id: string;
    readonly title: string;
    readonly controls: readonly string[];
  }[];
}

export interface BacklogExemption {
  readonly controlId: string;
  readonly ruleId: string;
  readonly resource: string;
  readonly stackName: string;
  /** The exemption register's entry, when the register made the acknowledgement. */
  readonly entry?: Exemption;
}

export interface BacklogProcessControl {
  readonly controlId: string;
  readonly title: string;
  readonly owner: Owner | 'unassigned';
  readonly reason: string;
}

export interface BacklogUnresolved {
  readonly controlId: string;
  readonly ruleId: string;
  readonly resource: string;
  readonly stackName: string;
  readonly status: 'fail' | 'exempt';
  readonly message: string;
}

export interface BacklogFrameworkGap {
  readonly framework: string;
  readonly id: string;
  readonly title: string;
}

/** The open hardening backlog (`backlog` of `controls-matrix.json`). */
export interface HardeningBacklog {
  /** Acknowledged failures, soonest expiry first. */
  readonly exemptions: readonly BacklogExemption[];
  readonly processOnly: readonly BacklogProcessControl[];
  /** Findings no rule could judge at synth time (a parameter, an import), acknowledged or not. */
  readonly unresolved: readonly BacklogUnresolved[];
  /** The frameworks the matrix is mapped to. */
  readonly frameworks: readonly string[];
  /** Recommendations of those frameworks that no control of the matrix covers. */
  readonly frameworkGaps: readonly BacklogFrameworkGap[];
}

/** The backlog of a controls-matrix report's rows and violations. */
export function buildBacklog(
  rows: readonly ControlRow[],
  violations: readonly ViolationRow[],
  controls: readonly Control[],
  frameworks: readonly FrameworkMapping[] = [],
): HardeningBacklog {
  const exemptions: BacklogExemption[] = violations
    .filter((v) => v.status === 'exempt')
    .map((v) => ({
      controlId: v.controlId,
      ruleId: v.ruleId,
      resource: v.logicalId,
      stackName: v.stackName,
      ...(v.exemption?.entry ? { entry: v.exemption.entry } : {}),
    }));
  // Soonest expiry first; an exemption without a known expiry is the most urgent.
  exemptions.sort(
    (a, b) => (a.entry?.expires ?? '').localeCompare(b.entry?.expires ?? '') || a.controlId.localeCompare(b.controlId),
  );
  const processOnly = rows
    .filter((r) => r.processOnly)
    .map((r) => {
      const control = controls.find((c) => c.id === r.controlId);
      return {
        controlId: r.controlId,
        title: r.title,
        owner: control?.owner ?? ('unassigned' as const),
        reason: control?.processOnly ?? '',
      };
    });
  const unresolved = violations.flatMap((v) =>
    v.findings
      .filter((f) => f.unresolved)
      .map((f) => ({
        controlId: v.controlId,
        ruleId: v.ruleId,
        resource: v.logicalId,
        stackName: v.stackName,
        status: v.status,
        message: f.message,
      })),
  );
  const known = new Set(controls.map((c) => c.id));
  const frameworkGaps = frameworks.flatMap((m) =>
    m.recommendations
      .filter((r) => !r.controls.some((id) => known.has(id)))
      .map((r) => ({ framework: m.framework, id: r.id, title: r.title })),
  );
  return { exemptions, processOnly, unresolved, frameworks: frameworks.map((m) => m.framework), frameworkGaps };
}
