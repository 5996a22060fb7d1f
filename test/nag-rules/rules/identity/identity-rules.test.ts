import { IDENTITY_RULES } from '../../../../nag-rules/rules/identity';
import { testRulesFollowTheirControls } from '../../rule-harness';
import { expectNeverThrows } from '../cluster/random-templates';

describe('identity area', () => {
  test('one rule per control IDN-1..IDN-15, registered in IDENTITY_RULES', () => {
    expect(IDENTITY_RULES.map((r) => r.controlId)).toEqual([
      'IDN-1',
      'IDN-2',
      'IDN-3',
      'IDN-4',
      'IDN-5',
      'IDN-6',
      'IDN-7',
      'IDN-8',
      'IDN-9',
      'IDN-10',
      'IDN-11',
      'IDN-12',
      'IDN-13',
      'IDN-14',
      'IDN-15',
    ]);
  });
  testRulesFollowTheirControls(IDENTITY_RULES);
  test('no rule throws on random CloudFormation-shaped templates', () => {
    expectNeverThrows(
      IDENTITY_RULES,
      [
        'AccessPolicies',
        'PolicyArn',
        'AccessScope',
        'Type',
        'PrincipalArn',
        'AssumeRolePolicyDocument',
        'Statement',
        'Effect',
        'Action',
        'NotAction',
        'Principal',
        'Federated',
        'Condition',
        'StringEquals',
        'StringLike',
        'Value',
        'NodeRole',
        'ClusterName',
        'ManagedPolicyArns',
        'Policies',
        'PolicyDocument',
        'PolicyName',
        'Roles',
        'AddonName',
        'ServiceAccountRoleArn',
        'PodIdentityAssociations',
        'ServiceAccount',
        'RoleArn',
        'Resource',
        'ArnNotLike',
        'aws:PrincipalArn',
        'NotIpAddress',
        'aws:SourceIp',
        'Url',
        'ClientIdList',
        'ComputeConfig',
        'Enabled',
        'Content',
        'Sid',
      ],
      [
        'AWS::IAM::OIDCProvider',
        'Custom::AWSCDKCfnJson',
        'AWS::EKS::PodIdentityAssociation',
        'AWS::Organizations::Policy',
      ],
    );
  });
});
