/*
 * Every core module, re-exported once. Rules import the modules themselves; this index exists so that the compiler
 * refuses two exports of one name anywhere in core (each meaning keeps one name), and for tools that want all of core.
 */
export * from './admin-api-actions';
export * from './admission-policy';
export * from './admission-requests';
export * from './approval-fields';
export * from './cluster-properties';
export * from './evaluate';
export * from './event-pattern';
export * from './iam-documents';
export * from './iam-principals';
export * from './intrinsics';
export * from './kubernetes-objects';
export * from './network-policies';
export * from './node-launch-templates';
export * from './pod-specs';
export * from './principal-exemptions';
export * from './privileged-functions';
export * from './read-cache';
export * from './rule';
export * from './runbook-documents';
export * from './security-group-rules';
export * from './template-model';
export * from './values';
export * from './vpc-endpoints';
