import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, CfnParameter, Stack } from 'aws-cdk-lib';
import { KeyGrantGuard } from '../../lib/cluster/product-keys';
import { ProductConfigRules, ProductConfigRulesProps } from '../../lib/detection/product-config-rules';
import { SecurityAlerts, SecurityAlertsProps } from '../../lib/detection/security-alerts';
import { projectContext } from '../support/project-app';

/** Logical ID of the fixture's cluster-name parameter: resolve it with `resolveIntrinsics(x, { ClusterName: ... })`. */
export const CLUSTER_NAME_PARAMETER = 'ClusterName';

export interface DetectionFixture {
  readonly stack: Stack;
  readonly template: Record<string, any>;
  readonly templateFile: string;
  readonly rules?: ProductConfigRules;
  readonly alerts?: SecurityAlerts;
}

export interface DetectionFixtureOptions {
  readonly rules?: Partial<ProductConfigRulesProps> | false;
  readonly alerts?: Partial<SecurityAlertsProps> | false;
  /** Pass the product VPC's default security group as a `DefaultSecurityGroupId` parameter to the rules. */
  readonly defaultSecurityGroup?: boolean;
}

/**
 * A plain stack holding the detection constructs the way the product holds them: the cluster name is a launch
 * parameter (a token) and the product's KeyGrantGuard aspect applies. Synthesized on an app without validation
 * plugins into a temporary folder, so cfn-lint can read the template.
 */
export function synthesizeDetectionFixture(options: DetectionFixtureOptions = {}): DetectionFixture {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'detection-'));
  const app = new App({ outdir, context: projectContext() });
  const stack = new Stack(app, 'DetectionFixture');
  const clusterName = new CfnParameter(stack, CLUSTER_NAME_PARAMETER, { type: 'String' });
  clusterName.overrideLogicalId(CLUSTER_NAME_PARAMETER);
  const defaultSecurityGroupId = options.defaultSecurityGroup
    ? new CfnParameter(stack, 'DefaultSecurityGroupId', { type: 'String' }).valueAsString
    : undefined;
  const rules =
    options.rules === false
      ? undefined
      : new ProductConfigRules(stack, 'ConfigRules', {
          clusterName: clusterName.valueAsString,
          defaultSecurityGroupId,
          oldestSupportedKubernetesVersion: '1.30',
          productTagValue: clusterName.valueAsString,
          ...options.rules,
        });
  const alerts =
    options.alerts === false
      ? undefined
      : new SecurityAlerts(stack, 'SecurityAlerts', {
          clusterName: clusterName.valueAsString,
          emailSubscriptions: ['security@example.com', 'platform@example.com'],
          ...options.alerts,
        });
  Aspects.of(stack).add(new KeyGrantGuard());
  app.synth();
  const templateFile = path.join(outdir, `${stack.artifactId}.template.json`);
  return { stack, template: JSON.parse(fs.readFileSync(templateFile, 'utf8')), templateFile, rules, alerts };
}
