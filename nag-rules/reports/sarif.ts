import { createHash } from 'crypto';
import * as path from 'path';
import { PACK_NAME, ruleId as ruleIdOf, RuleKind, RuleLevel, ThreatModelRule } from '../core/rule';
import type { TemplateRejection } from '../core/cloudformation-spec';
import { frameworkTags } from '../frameworks/frameworks';
import { INVALID_TEMPLATE_RULE } from './findings';
import { Control, CONTROLS } from '../matrix/controls';
import { ITEMS } from '../matrix/threat-model';
import { ALL_RULES } from '../rules';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { isAcknowledgedFailure, levelOf, ReportOptions, rulesById, threatsOf } from './matrix-report';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifMessage {
  readonly text: string;
  readonly markdown?: string;
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: SarifMessage;
  readonly defaultConfiguration: { readonly level: RuleLevel };
  readonly properties: {
    readonly controlId: string;
    readonly threats: readonly string[];
    readonly level: RuleLevel;
    readonly kind: RuleKind;
    readonly category?: string;
    readonly cisEks: readonly string[];
    readonly nist80053: readonly string[];
    readonly resourceTypes: readonly string[];
    readonly tags: readonly string[];
  };
}

export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
    readonly region?: { readonly startLine: number };
  };
  readonly logicalLocations: readonly {
    readonly name: string;
    readonly fullyQualifiedName: string;
    readonly kind: string;
  }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: RuleLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: readonly {
    readonly kind: 'external';
    readonly status: 'accepted';
    readonly justification: string;
  }[];
  readonly properties: {
    readonly controlId: string;
    readonly threats: readonly string[];
    readonly resourceType: string;
    readonly stackName: string;
    readonly unresolved: boolean;
  };
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: { readonly name: string; readonly rules: readonly SarifReportingDescriptor[] };
      };
      readonly results: readonly SarifResult[];
      readonly columnKind: 'utf16CodeUnits';
    },
  ];
}

export interface SarifOptions extends ReportOptions {
  /** Where the SARIF file is written: template paths are made relative to it. */
  readonly outdir?: string;
  /** The template file of each stack (absolute or relative to the working directory), by stack name. */
  readonly templateFiles?: Readonly<Record<string, string>>;
  /**
   * The root files are named from (the repository a code-scanning upload belongs to): set, every URI is relative to
   * it (`uriBaseId` `%SRCROOT%`); unset, URIs are relative to `outdir`.
   */
  readonly sourceRoot?: string;
  /**
   * Where an evaluated resource comes from: the app's source line that created the construct (CDK), or its logical
   * ID's line in the template. Unset or undefined: the template file, without a line.
   */
  readonly locate?: (evaluation: RecordedEvaluation) => { readonly file: string; readonly line?: number } | undefined;
  /** What CloudFormation would reject, by stack (template) name: results of their own rule, `CloudFormation-Invalid`. */
  readonly rejections?: Readonly<Record<string, readonly TemplateRejection[]>>;
}

/** The driver rule of the results for resources CloudFormation would reject. */
const REJECTION_RULE: ThreatModelRule = {
  controlId: INVALID_TEMPLATE_RULE,
  threats: [],
  level: 'error',
  kind: 'misconfiguration',
  resourceTypes: [],
  evaluate: () => [],
  description: 'CloudFormation would reject the resource',
  explanation:
    'Its type is unknown to the CloudFormation resource specification, or a property is unsupported or of the wrong type: the deployment fails.',
};

/** The results for resources CloudFormation would reject, located like the pack's results. */
function rejectionResults(options: SarifOptions, ruleIndex: number): SarifResult[] {
  return Object.entries(options.rejections ?? {}).flatMap(([stackName, rejections]) =>
    rejections.map((r) => {
      const at = { stackName, logicalId: r.logicalId, constructPath: r.logicalId } as RecordedEvaluation;
      return {
        ruleId: INVALID_TEMPLATE_RULE,
        ruleIndex,
        level: 'error' as const,
        message: { text: `${r.logicalId}: CloudFormation would reject this resource: ${r.message}` },
        locations: [
          {
            physicalLocation: physicalLocation(at, options),
            logicalLocations: [{ name: r.logicalId, fullyQualifiedName: r.logicalId, kind: 'resource' }],
          },
        ],
        partialFingerprints: {
          [`${PACK_NAME}/v1`]: createHash('sha256')
            .update(`${INVALID_TEMPLATE_RULE}|${stackName}|${r.logicalId}|${r.message}`)
            .digest('hex')
            .slice(0, 32),
        },
        properties: { controlId: '', threats: [], resourceType: r.resourceType, stackName, unresolved: false },
      };
    }),
  );
}

/** The physical location of a result: the file relative to the source root (or `outdir`), with its line when known. */
function physicalLocation(e: RecordedEvaluation, options: SarifOptions): SarifLocation['physicalLocation'] {
  const located = options.locate?.(e);
  const file = located?.file ?? options.templateFiles?.[e.stackName];
  if (!file || options.sourceRoot === undefined) {
    return {
      artifactLocation: { uri: templateUri(e.stackName, options) },
      ...(located?.line ? { region: { startLine: located.line } } : {}),
    };
  }
  const uri = path.relative(path.resolve(options.sourceRoot), path.resolve(file)).split(path.sep).join('/');
  return {
    artifactLocation: { uri, uriBaseId: SOURCE_ROOT },
    ...(located?.line ? { region: { startLine: located.line } } : {}),
  };
}

export const SOURCE_ROOT = '%SRCROOT%';

/** The artifact URI of a stack's template: the file relative to `outdir` when known, else the stack name. */
export function templateUri(stackName: string, options: Pick<SarifOptions, 'outdir' | 'templateFiles'>): string {
  const file = options.templateFiles?.[stackName];
  if (!file) return stackName;
  const relative = options.outdir ? path.relative(path.resolve(options.outdir), path.resolve(file)) : file;
  return relative.split(path.sep).join('/');
}

function descriptor(
  rule: ThreatModelRule,
  control: Control | undefined,
  id = ruleIdOf(rule),
): SarifReportingDescriptor {
  const threats = rule.threats.map((t) => (ITEMS[t] ? `${t} (${ITEMS[t]})` : t));
  const help = `${rule.description}. ${rule.explanation}${control ? ` Control ${control.id}: ${control.title} (${control.category}).` : ''} Threat model: ${threats.join('; ')}.`;
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description}. ${rule.explanation}` },
    help: {
      text: help,
      markdown: `**${rule.description}**\n\n${rule.explanation}\n\n${control ? `Control \`${control.id}\`: ${control.title} (${control.category}).\n\n` : ''}Threat model: ${threats.join('; ')}.\n\nResource types: ${rule.resourceTypes.map((t) => `\`${t}\``).join(', ')}.`,
    },
    defaultConfiguration: { level: rule.level },
    properties: {
      controlId: rule.controlId,
      threats: rule.threats,
      level: rule.level,
      kind: rule.kind,
      ...(control ? { category: control.category } : {}),
      cisEks: control?.cisEks ?? [],
      nist80053: control?.nist80053 ?? [],
      resourceTypes: rule.resourceTypes,
      tags: [
        'security',
        'eks',
        'threat-model',
        rule.kind,
        ...rule.threats.filter((t) => t.startsWith('TH-')),
        ...frameworkTags(control),
      ],
    },
  };
}

/** A stand-in rule for an evaluation whose rule is not among the options' rules (so every result has a driver rule). */
function unknownRule(evaluation: RecordedEvaluation, controls: readonly Control[]): ThreatModelRule {
  const control = controls.find((c) => c.id === evaluation.controlId);
  return {
    controlId: evaluation.controlId,
    threats: control?.protects ?? [],
    level: 'error',
    kind: 'misconfiguration',
    description: control?.title ?? `Control ${evaluation.controlId}`,
    explanation: 'The rule is not part of the rule set the report was built with.',
    resourceTypes: [evaluation.resourceType],
    evaluate: () => [],
  };
}

/**
 * The pack's findings as SARIF 2.1.0 (one run, tool `EksThreatModel`): every rule as a driver rule, every failing
 * evaluation as a result; acknowledged failures carry an external suppression with the acknowledgement's reason.
 */
export function buildSarif(evaluations: readonly RecordedEvaluation[], options: SarifOptions = {}): SarifLog {
  const controls = options.controls ?? CONTROLS;
  const rules = options.rules ?? ALL_RULES;
  const ruleMap = rulesById(rules);
  const descriptors = rules.map((rule) =>
    descriptor(
      rule,
      controls.find((c) => c.id === rule.controlId),
    ),
  );
  for (const e of evaluations) {
    if (!descriptors.some((d) => d.id === e.ruleId))
      descriptors.push(
        descriptor(
          unknownRule(e, controls),
          controls.find((c) => c.id === e.controlId),
          e.ruleId,
        ),
      );
  }
  const rejected = Object.values(options.rejections ?? {}).some((list) => list.length > 0);
  if (rejected) descriptors.push(descriptor(REJECTION_RULE, undefined, INVALID_TEMPLATE_RULE));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));

  const results: SarifResult[] = evaluations
    .filter((e) => e.status === 'fail')
    .map((e) => {
      const threats = threatsOf(e, ruleMap, controls);
      const findings = e.findings.map((f) => `${f.unresolved ? '[unresolved] ' : ''}${f.message}`);
      const description = ruleMap.get(e.ruleId)?.description ?? e.ruleId;
      const acknowledged = isAcknowledgedFailure(e);
      const entry = acknowledged ? e.exemption : undefined;
      const reason = e.acknowledged ?? '';
      const justification = [
        reason || entry?.reason || 'acknowledged',
        entry?.approvedBy && !reason.includes(entry.approvedBy) && `approved by ${entry.approvedBy}`,
        entry?.expires && !reason.includes(entry.expires) && `expires ${entry.expires}`,
      ]
        .filter(Boolean)
        .join('; ');
      return {
        ruleId: e.ruleId,
        ruleIndex: index.get(e.ruleId)!,
        level: levelOf(e.ruleId, ruleMap),
        message: {
          text: `[${threats.join(', ')}] ${e.logicalId}: ${description}: ${findings.length ? findings.join('; ') : 'non-compliant'}`,
        },
        locations: [
          {
            physicalLocation: physicalLocation(e, options),
            logicalLocations: [{ name: e.logicalId, fullyQualifiedName: e.constructPath, kind: 'resource' }],
          },
        ],
        partialFingerprints: {
          [`${PACK_NAME}/v1`]: createHash('sha256')
            .update(`${e.ruleId}|${e.stackName}|${e.logicalId}`)
            .digest('hex')
            .slice(0, 32),
        },
        ...(acknowledged
          ? { suppressions: [{ kind: 'external' as const, status: 'accepted' as const, justification }] }
          : {}),
        properties: {
          controlId: e.controlId,
          threats,
          resourceType: e.resourceType,
          stackName: e.stackName,
          unresolved: e.findings.some((f) => f.unresolved === true),
        },
      };
    });

  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: PACK_NAME, rules: descriptors } },
        results: rejected ? [...rejectionResults(options, index.get(INVALID_TEMPLATE_RULE)!), ...results] : results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
