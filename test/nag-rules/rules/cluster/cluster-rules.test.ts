import { CLUSTER_RULES } from '../../../../nag-rules/rules/cluster';
import { testRulesFollowTheirControls } from '../../rule-harness';
import { expectNeverThrows } from './random-templates';

describe('cluster area', () => {
  test('one rule per control CLU-1..CLU-12, registered in CLUSTER_RULES', () => {
    expect(CLUSTER_RULES.map((r) => r.controlId)).toEqual([
      'CLU-1',
      'CLU-2',
      'CLU-3',
      'CLU-4',
      'CLU-5',
      'CLU-6',
      'CLU-7',
      'CLU-8',
      'CLU-9',
      'CLU-10',
      'CLU-11',
      'CLU-12',
    ]);
  });
  testRulesFollowTheirControls(CLUSTER_RULES);
  test('no rule throws on random CloudFormation-shaped templates', () => {
    expectNeverThrows(
      CLUSTER_RULES,
      [
        'Name',
        'Version',
        'EncryptionConfig',
        'Resources',
        'Provider',
        'KeyArn',
        'Logging',
        'ClusterLogging',
        'EnabledTypes',
        'Type',
        'AccessConfig',
        'AuthenticationMode',
        'BootstrapClusterCreatorAdminPermissions',
        'DeletionProtection',
        'Config',
        'name',
        'logging',
        'clusterLogging',
        'types',
        'enabled',
        'AddonVersion',
        'AddonName',
        'ClusterName',
        'LogGroupName',
        'RetentionInDays',
        'KmsKeyId',
        'EnableKeyRotation',
        'KeyPolicy',
        'Statement',
        'Effect',
        'Action',
        'Principal',
        'AWS',
        'Condition',
        'TargetKeyId',
        'Oidc',
        'IssuerUrl',
      ],
      ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::Logs::LogGroup'],
    );
  });
});
