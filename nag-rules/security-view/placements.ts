/**
 * Where a control sits in the security view when its rule judges it on another resource. Many rules judge the
 * cluster (is there a runbook, an alert rule, a flow log for it?), but the control lives in the component that
 * implements it: the view draws it there when the template has that component, else on the judged resource.
 */
export const CONTROL_PLACEMENT: Readonly<Record<string, string>> = {
  'CLU-4': 'log-groups',
  'IDN-4': 'add-ons',
  'IDN-6': 'admin-apis',
  'IDN-7': 'cluster-access',
  'NET-3': 'security-groups',
  'NET-4': 'flow-logs',
  'NET-6': 'interface-endpoints',
  'K8S-8': 'kubernetes-objects',
  'K8S-12': 'kubernetes-objects',
  'K8S-13': 'kubernetes-objects',
  'DET-1': 'kubernetes-objects',
  'DET-2': 'add-ons',
  'DET-3': 'event-rules',
  'DET-5': 'config-rules',
  'REM-1': 'runbooks',
  'REM-2': 'runbooks',
  'REM-3': 'runbooks',
  'REM-4': 'runbooks',
  'REM-5': 'runbooks',
  'REM-6': 'buckets',
  'REM-7': 'runbooks',
};
