import { Fn, Token } from 'aws-cdk-lib';
import { ProductDefinition } from '../../lib/catalog/product-definition';
import { HardenedEksProductStack } from './hardened-eks-product-stack';
import { HARDENED_EKS_ROLE_BOUNDARY, PRODUCT_IAM_PATH } from './product-iam-path';
import { adminApiServiceControlPolicy } from '../../lib/identity/admin-api-guardrail';
import { roleBoundaryArnInEveryAccount } from '../../lib/identity/product-role-boundary';
import { hardenedEksLaunchRoleStatements } from './launch-role-statements';
import {
  breakGlassRolesOfEveryAccount,
  guardrailNetwork,
  HardenedEksSettings,
  hardenedEksSettingsSchema,
  parseHardenedEksSettings,
} from './settings';

/** Name of the launch role in every account that launches this product (a local launch role constraint). */
export const LAUNCH_ROLE_NAME = 'SCHardenedEksLaunchRole';

export const product: ProductDefinition<HardenedEksSettings> = {
  productName: 'Hardened Amazon EKS cluster',
  owner: 'Platform team',
  description:
    "An Amazon EKS cluster with the EKS threat model's preventive controls built in: private API, access entries, " +
    'Calico default-deny, Pod Security restricted, IMDSv2 nodes without SSH, KMS encryption and full control-plane logging.',
  supportDescription:
    'Launch parameters are limited to values the platform team approved. See the README for how to reach the private endpoint.',
  launchRoleName: LAUNCH_ROLE_NAME,
  parseSettings: parseHardenedEksSettings,
  settingsSchema: hardenedEksSettingsSchema,
  createProductStack(scope, id, settings, context) {
    return new HardenedEksProductStack(scope, id, {
      assetBucket: context.assetBucket,
      memoryLimit: 1024,
      settings,
      organizationId: context.organizationId,
      launchRoleName: LAUNCH_ROLE_NAME,
      description: 'Hardened Amazon EKS cluster (Service Catalog product)',
    });
  },
  launchRoleStatements: (_settings, assetBucketName) => hardenedEksLaunchRoleStatements(assetBucketName),
  roleBoundary: (settings) => ({
    name: HARDENED_EKS_ROLE_BOUNDARY,
    scope: { productRolePath: PRODUCT_IAM_PATH, revocableRolePaths: [settings.incidentResponse.workloadRolePath] },
  }),
  breakGlassRole: (settings) => ({
    roleName: settings.breakGlassRoleName,
    trustedPrincipalArns: settings.breakGlassRoleArns,
    corporateEgressCidrs: settings.corporateEgressCidrs,
    corporateVpcEndpointIds: settings.corporateVpcEndpointIds,
  }),
  organizationPolicies: (settings) => ({
    'admin-api-scp.json': adminApiServiceControlPolicy({
      adminRoleArns: [breakGlassRolesOfEveryAccount(settings)],
      deploymentRoleArns: [`arn:aws:iam::*:role/${LAUNCH_ROLE_NAME}`],
      protectedPolicyArns: [roleBoundaryArnInEveryAccount(HARDENED_EKS_ROLE_BOUNDARY)],
      ...guardrailNetwork(settings),
    }),
  }),
  templateRules(settings) {
    return [
      {
        ruleName: 'ApprovedClusterChoices',
        assertions: [
          {
            assert: Fn.conditionContains(settings.kubernetesVersions, Fn.ref('KubernetesVersion')),
            description: `KubernetesVersion must be one of ${settings.kubernetesVersions.join(', ')}`,
          },
          {
            assert: Fn.conditionContains(settings.instanceTypes, Fn.ref('NodeInstanceType')),
            description: `NodeInstanceType must be one of ${settings.instanceTypes.join(', ')}`,
          },
          {
            assert: Fn.conditionEachMemberIn(Token.asList(Fn.ref('CorporateCidrs')), settings.corporateCidrs),
            description: `CorporateCidrs must be among ${settings.corporateCidrs.join(', ')}`,
          },
        ],
      },
    ];
  },
};
