/**
 * The package's main entry (`@hardened-eks/eks-threat-model`): the cdk-nag 3 pack `EksThreatModelChecks`, to add with
 * `Validations.of(app).addPlugins(new EksThreatModelChecks())`, and everything of the evaluation entry. The exemption
 * register, the reports and the controls matrix are the `/register`, `/reports` and `/matrix` entries.
 */
export { EksThreatModelChecks } from './eks-threat-model-pack';
export type { EksThreatModelPackProps, RecordedEvaluation } from './eks-threat-model-pack';
export * from './evaluation';
