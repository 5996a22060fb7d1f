import { CliIo, main } from '../../../nag-rules/cli/check';

/** Runs the CLI in-process in `cwd`; returns its exit code and what it printed. */
export function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd };
  const code = main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A resource type no rule of the pack judges (checked in check.test.ts, so a new rule cannot make the tests lie). */
export const CLEAN_TYPE = 'AWS::CloudFormation::WaitConditionHandle';

/** A template with one EKS cluster, private endpoint on, with `vpc` added to its ResourcesVpcConfig. */
export const clusterWith = (vpc: Record<string, unknown>, metadata?: Record<string, unknown>) => ({
  Resources: {
    Cluster: {
      Type: 'AWS::EKS::Cluster',
      ...(metadata ? { Metadata: metadata } : {}),
      Properties: {
        RoleArn: 'arn:aws:iam::111122223333:role/eks',
        ResourcesVpcConfig: { SubnetIds: ['subnet-1'], EndpointPrivateAccess: true, ...vpc },
      },
    },
  },
});
