import { RuleFinding, unresolved } from './rule';
import { isObject, TemplateModel, TemplateResource } from './template-model';
import { literal, why } from './values';
import { at, isIntrinsic, mayBeRemoved, presentBranchValues } from './intrinsics';

/** Node resources: EKS managed node groups and self-managed Auto Scaling groups. */
export const NODEGROUP_TYPE = 'AWS::EKS::Nodegroup';
export const AUTO_SCALING_GROUP_TYPE = 'AWS::AutoScaling::AutoScalingGroup';
export const NODE_TYPES = [NODEGROUP_TYPE, AUTO_SCALING_GROUP_TYPE];
export const LAUNCH_TEMPLATE_TYPE = 'AWS::EC2::LaunchTemplate';
export const LAUNCH_CONFIGURATION_TYPE = 'AWS::AutoScaling::LaunchConfiguration';

/** A launch template (or launch configuration) of this template that nodes may be started from. */
export interface NodeLaunchTemplate {
  readonly logicalId: string;
  /** How messages name it: `launch template` or `launch configuration`. */
  readonly kind: 'launch template' | 'launch configuration';
  /**
   * Its `LaunchTemplateData` ({} when absent or not an object); a launch configuration's properties in the same shape
   * (its `AssociatePublicIpAddress` as a network interface), so every node rule judges both alike.
   */
  readonly data: Record<string, any>;
}

export interface NodeLaunchTemplates {
  /** The launch templates of this template the nodes may use (every branch of an `Fn::If`). */
  readonly templates: NodeLaunchTemplate[];
  /** Set when the nodes may start without a launch template: says why. */
  readonly missing?: string;
  /** Launch templates named that are not in this template, or expressions that cannot be read. */
  readonly unresolved: RuleFinding[];
}

/**
 * What a node rule finds in the launch templates a node resource starts from: the references that cannot be followed,
 * what it means for the rule that the nodes have no launch template (`whenMissing`, left out when it means nothing),
 * then `judge`'s findings on each template.
 */
export function launchTemplateFindings(
  model: TemplateModel,
  resource: TemplateResource,
  properties: Record<string, any>,
  judge: (template: NodeLaunchTemplate) => RuleFinding[],
  whenMissing?: string,
): RuleFinding[] {
  const launchTemplates = nodeLaunchTemplates(model, resource, properties);
  const findings: RuleFinding[] = [...launchTemplates.unresolved];
  if (launchTemplates.missing && whenMissing) findings.push({ message: `${launchTemplates.missing}: ${whenMissing}` });
  for (const template of launchTemplates.templates) findings.push(...judge(template));
  return findings;
}

/**
 * `launchTemplateFindings` for a rule that judges one property of each launch template: `judge` gets its value and
 * how messages name the template (`launch template X`); a value unknown at synth time is an unresolved finding.
 */
export function launchTemplatePropertyFindings(
  model: TemplateModel,
  resource: TemplateResource,
  properties: Record<string, any>,
  property: string,
  judge: (value: unknown, template: string) => RuleFinding[],
  whenMissing?: string,
): RuleFinding[] {
  return launchTemplateFindings(
    model,
    resource,
    properties,
    ({ logicalId, kind, data }) => {
      const raw = at(data, property);
      if (!raw.known) return [unresolved(`${property} of ${kind} ${logicalId}`, raw.because)];
      return judge(raw.value, `${kind} ${logicalId}`);
    },
    whenMissing,
  );
}

/** What the node resource names as its launch template (before following references). */
function launchTemplateSpec(
  resource: TemplateResource,
  properties: Record<string, any>,
): { spec?: unknown; missing?: string } {
  if (resource.Type === NODEGROUP_TYPE) {
    return properties.LaunchTemplate === undefined
      ? { missing: 'the node group has no LaunchTemplate' }
      : { spec: properties.LaunchTemplate };
  }
  const mixed =
    isObject(properties.MixedInstancesPolicy) && isObject(properties.MixedInstancesPolicy.LaunchTemplate)
      ? properties.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
      : undefined;
  const spec = properties.LaunchTemplate ?? mixed;
  if (spec !== undefined) return { spec };
  if (properties.LaunchConfigurationName !== undefined)
    return { missing: 'the Auto Scaling group uses a launch configuration, not a launch template' };
  if (properties.InstanceId !== undefined)
    return { missing: 'the Auto Scaling group copies its configuration from an instance, not a launch template' };
  return { missing: 'the Auto Scaling group has no launch template' };
}

const REMOVED = 'the launch template is removed (AWS::NoValue) in a branch of Fn::If';

/** What is wrong with the launch template a node resource names (NOD-1), without following it: [] when one is named. */
export function launchTemplateProblems(resource: TemplateResource, properties: Record<string, any>): RuleFinding[] {
  const { spec, missing } = launchTemplateSpec(resource, properties);
  if (missing) return [{ message: missing }];
  const findings: RuleFinding[] = [];
  if (mayBeRemoved(spec)) findings.push({ message: REMOVED });
  for (const s of presentBranchValues(spec)) {
    if (isIntrinsic(s)) findings.push(unresolved('the launch template specification', why(s)));
    else if (!isObject(s))
      findings.push({ message: `the launch template specification is not an object: ${JSON.stringify(s)}` });
    else {
      const value = s.Id ?? s.LaunchTemplateId ?? s.Name ?? s.LaunchTemplateName;
      if (value === undefined)
        findings.push({ message: 'the launch template specification names neither an ID nor a name' });
      else if (mayBeRemoved(value)) findings.push({ message: REMOVED });
    }
  }
  return findings;
}

/**
 * The launch templates a node group or Auto Scaling group starts its nodes from, followed through `Id`/`Name`
 * (`LaunchTemplateId`/`LaunchTemplateName` on Auto Scaling groups) and `Fn::If` branches.
 */
export function nodeLaunchTemplates(
  model: TemplateModel,
  resource: TemplateResource,
  properties: Record<string, any>,
): NodeLaunchTemplates {
  const { spec, missing } = launchTemplateSpec(resource, properties);
  if (missing && resource.Type === AUTO_SCALING_GROUP_TYPE && properties.LaunchConfigurationName !== undefined) {
    return launchConfigurationsOf(model, properties.LaunchConfigurationName);
  }
  if (missing) return { templates: [], missing, unresolved: [] };
  const templates = new Map<string, NodeLaunchTemplate>();
  const findings: RuleFinding[] = [];
  let removed = mayBeRemoved(spec) ? REMOVED : undefined;
  const add = (logicalId: string) => {
    const data = model.resource(logicalId)?.Properties?.LaunchTemplateData;
    templates.set(logicalId, { logicalId, kind: 'launch template', data: isObject(data) ? data : {} });
  };
  for (const s of presentBranchValues(spec)) {
    if (!isObject(s) || isIntrinsic(s)) {
      const lit = literal(s);
      findings.push(
        lit.known
          ? { message: `the launch template specification is not an object: ${JSON.stringify(s)}` }
          : unresolved('the launch template specification', lit.because),
      );
      continue;
    }
    const id = s.Id ?? s.LaunchTemplateId;
    const name = s.Name ?? s.LaunchTemplateName;
    const byId = id !== undefined;
    const value = byId ? id : name;
    if (value === undefined) {
      findings.push({ message: 'the launch template specification names neither an ID nor a name' });
      continue;
    }
    if (mayBeRemoved(value)) removed = REMOVED;
    for (const choice of presentBranchValues(value)) {
      const ref = model.referencedId(choice);
      if (ref && model.resource(ref)?.Type === LAUNCH_TEMPLATE_TYPE) {
        add(ref);
        continue;
      }
      const lit = literal(choice);
      if (!byId) {
        const match = model
          .resourcesOfType(LAUNCH_TEMPLATE_TYPE)
          .find(([, r]) => sameName(r.Properties?.LaunchTemplateName, choice));
        if (match) {
          add(match[0]);
          continue;
        }
      }
      if (lit.known) {
        findings.push(
          unresolved(
            `launch template ${byId ? 'ID' : 'name'} '${String(lit.value)}'`,
            'a launch template outside the template',
          ),
        );
      } else if (ref) {
        findings.push(unresolved('the launch template', `resource '${ref}', which is not an AWS::EC2::LaunchTemplate`));
      } else {
        findings.push(unresolved('the launch template', lit.because));
      }
    }
  }
  return { templates: [...templates.values()], missing: removed, unresolved: findings };
}

/**
 * Whether two name expressions name the same thing: equal literals (folded from `Fn::Join`/`Fn::Sub` of literals too),
 * or the same expression (`Fn::Sub: '${AWS::StackName}-nodes'` on both sides).
 */
function sameName(name: unknown, reference: unknown): boolean {
  if (name === undefined || reference === undefined) return false;
  const [a, b] = [literal(name), literal(reference)];
  if (a.known && b.known) return a.value !== undefined && a.value === b.value;
  return JSON.stringify(name) === JSON.stringify(reference);
}

/** The launch configurations of this template an Auto Scaling group may start from, in launch-template shape. */
function launchConfigurationsOf(model: TemplateModel, name: unknown): NodeLaunchTemplates {
  const templates: NodeLaunchTemplate[] = [];
  const findings: RuleFinding[] = [];
  for (const choice of presentBranchValues(name)) {
    const ref = model.referencedId(choice);
    const match =
      ref && model.resource(ref)?.Type === LAUNCH_CONFIGURATION_TYPE
        ? ref
        : model
            .resourcesOfType(LAUNCH_CONFIGURATION_TYPE)
            .find(([, r]) => sameName(r.Properties?.LaunchConfigurationName, choice))?.[0];
    if (!match) {
      const lit = literal(choice);
      findings.push(
        unresolved(
          'the launch configuration',
          lit.known ? `launch configuration '${String(lit.value)}' outside the template` : lit.because,
        ),
      );
      continue;
    }
    const { AssociatePublicIpAddress: associate, ...rest } = (model.resource(match)!.Properties ?? {}) as Record<
      string,
      any
    >;
    templates.push({
      logicalId: match,
      kind: 'launch configuration',
      data: {
        ...rest,
        ...(associate === undefined ? {} : { NetworkInterfaces: [{ AssociatePublicIpAddress: associate }] }),
      },
    });
  }
  return {
    templates,
    unresolved: findings,
    missing: mayBeRemoved(name)
      ? 'the launch configuration is removed (AWS::NoValue) in a branch of Fn::If'
      : undefined,
  };
}

/** The logical IDs of the node groups of a template that belong to a cluster (by reference or by equal name). */
export function nodegroupsOfCluster(model: TemplateModel, clusterId: string): [string, TemplateResource][] {
  const cluster = model.resource(clusterId);
  const name =
    cluster?.Type === 'AWS::EKS::Cluster' ? cluster.Properties?.Name : (cluster?.Properties?.Config as any)?.name;
  return model.resourcesOfType(NODEGROUP_TYPE).filter(([, ng]) => {
    const clusterName = ng.Properties?.ClusterName;
    if (model.referencedIds(clusterName).includes(clusterId)) return true;
    return name !== undefined && clusterName !== undefined && JSON.stringify(name) === JSON.stringify(clusterName);
  });
}
