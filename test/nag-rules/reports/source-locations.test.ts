import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { constructSources, userFrame } from '../../../nag-rules/reports/construct-sources';
import { resourceLines } from '../../../nag-rules/reports/source-lines';

describe('resourceLines', () => {
  test('JSON: the line of each key of the top-level Resources, not of same-named keys elsewhere', () => {
    const text = JSON.stringify(
      {
        Parameters: { Role: { Type: 'String' } },
        Resources: {
          'Odd"Id': { Type: 'AWS::EKS::Cluster', Properties: { Resources: { Nested: 1 } } },
          Role: { Type: 'AWS::IAM::Role' },
        },
        Outputs: { Role: { Value: 'x' } },
      },
      null,
      2,
    );
    const lines = text.split('\n');
    const expected = (needle: string) =>
      lines.findIndex(
        (l, i) => l.startsWith(`    ${needle}`) && lines.slice(0, i).some((x) => x.startsWith('  "Resources"')),
      ) + 1;
    expect(resourceLines(text)).toEqual(
      new Map([
        ['Odd"Id', expected('"Odd\\"Id"')],
        ['Role', expected('"Role"')],
      ]),
    );
    expect(resourceLines(JSON.stringify({ Resources: { A: { Type: 'x' }, B: { Type: 'y' } } }))).toEqual(
      new Map([
        ['A', 1],
        ['B', 1],
      ]),
    );
  });

  test('YAML with CloudFormation short forms', () => {
    const text =
      'Parameters:\n  Role: { Type: String }\nResources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: !GetAtt Role.Arn\n\n  Role:\n    Type: AWS::IAM::Role\n';
    expect(resourceLines(text)).toEqual(
      new Map([
        ['Cluster', 4],
        ['Role', 9],
      ]),
    );
  });

  test('text that cannot be read gives no lines', () => {
    expect(resourceLines('Resources: [\n')).toEqual(new Map());
  });
});

describe('construct source locations from a cloud assembly', () => {
  test("the first frame of the app's own code, skipping dependencies, Node internals and folded frames", () => {
    expect(
      userFrame([
        '...new CfnCluster in aws-cdk-lib...',
        'new Thing (/work/app/node_modules/some-lib/index.js:3:1)',
        'Array.map (:)',
        'node:internal/modules (node:internal/x:1:1)',
        'new HardenedCluster (/work/app/lib/cluster/hardened-cluster.ts:42:7)',
        'new ProductStack (/work/app/products/p/stack.ts:10:5)',
      ]),
    ).toEqual({ file: '/work/app/lib/cluster/hardened-cluster.ts', line: 42 });
    expect(userFrame(['Array.map (:)'])).toBeUndefined();
  });

  test("read from manifest.json and each stack's metadata file, by construct path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          Stack: { type: 'aws:cloudformation:stack', additionalMetadataFile: 'Stack.metadata.json' },
          Inline: {
            type: 'aws:cloudformation:stack',
            metadata: {
              '/Inline/Queue/Resource': [{ type: 'aws:cdk:creationStack', data: ['new Queue (/src/q.ts:7:3)'] }],
            },
          },
          Tree: { type: 'cdk:tree' },
        },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'Stack.metadata.json'),
      JSON.stringify({
        '/Stack/Cluster/Resource': [
          { type: 'aws:cdk:logicalId', data: 'Cluster' },
          { type: 'aws:cdk:creationStack', data: ['...in aws-cdk-lib...', 'new Cluster (/src/cluster.ts:12:9)'] },
        ],
        '/Stack/NoTrace': [{ type: 'aws:cdk:logicalId', data: 'NoTrace' }],
      }),
    );
    expect(constructSources(dir)).toEqual(
      new Map([
        ['Inline/Queue/Resource', { file: '/src/q.ts', line: 7 }],
        ['Stack/Cluster/Resource', { file: '/src/cluster.ts', line: 12 }],
      ]),
    );
    expect(constructSources(path.join(dir, 'missing'))).toEqual(new Map());
  });
});
