import { ThreatModelRule } from '../../core/rule';
import { CaptureArtifactsRunbook } from './capture-artifacts-runbook';
import { CordonRunbook } from './cordon-runbook';
import { IdentifyRunbook } from './identify-runbook';
import { IncidentResponseRoleScoped } from './incident-response-role-scoped';
import { IsolateRunbooks } from './isolate-runbooks';
import { ProtectNodeRunbook } from './protect-node-runbook';
import { RevokeCredentialsRunbook } from './revoke-credentials-runbook';
import { ResponderNotClusterAdmin } from './responder-not-cluster-admin';

/** Rules of the incident-response area: one runbook per IR step, and the role they run as. */
export const RESPONSE_RULES: readonly ThreatModelRule[] = [
  IdentifyRunbook,
  IsolateRunbooks,
  RevokeCredentialsRunbook,
  CordonRunbook,
  ProtectNodeRunbook,
  CaptureArtifactsRunbook,
  IncidentResponseRoleScoped,
  ResponderNotClusterAdmin,
];
