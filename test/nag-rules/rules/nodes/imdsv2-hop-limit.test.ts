import { Imdsv2HopLimit } from '../../../../nag-rules/rules/nodes/imdsv2-hop-limit';
import { failures, productTemplate } from '../../rule-harness';
import { exactUnresolved, messages, unresolvedFinding } from '../../rule-findings';
import { checkNodegroup, productNodegroup } from './fixtures';

describe('NOD-2 Imdsv2HopLimit', () => {
  test('compliant: IMDSv2 required with hop limit 1 (also as a string), or the endpoint disabled', () => {
    expect(checkNodegroup(Imdsv2HopLimit).status).toBe('pass');
    const asString = checkNodegroup(Imdsv2HopLimit, (r) => {
      r.LT.Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit = '1';
    });
    expect(asString.status).toBe('pass');
    const disabled = checkNodegroup(Imdsv2HopLimit, (r) => {
      r.LT.Properties.LaunchTemplateData.MetadataOptions = { HttpEndpoint: 'disabled' };
    });
    expect(disabled.status).toBe('pass');
  });
  test('non-compliant: IMDSv1 allowed and hop limit 2', () => {
    const result = checkNodegroup(Imdsv2HopLimit, (r) => {
      r.LT.Properties.LaunchTemplateData.MetadataOptions = { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 };
    });
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "launch template LT does not require IMDSv2 (HttpTokens is 'optional')",
      'launch template LT sets HttpPutResponseHopLimit to 2, so pods can reach the metadata service: set it to 1',
    ]);
  });
  test('non-compliant: hop limit left at the default, and a node group without a launch template', () => {
    const implicit = checkNodegroup(Imdsv2HopLimit, (r) => {
      delete r.LT.Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit;
    });
    expect(messages(implicit)).toEqual([expect.stringMatching(/leaves HttpPutResponseHopLimit at the AMI's default/)]);
    const none = checkNodegroup(Imdsv2HopLimit, (r) => {
      delete r.NG.Properties.LaunchTemplate;
    });
    expect(none.findings[0].message).toMatch(/^the node group has no LaunchTemplate: the metadata options EKS applies/);
  });
  test('non-compliant: one branch of an Fn::If picks a launch template without IMDSv2', () => {
    const result = checkNodegroup(Imdsv2HopLimit, (r) => {
      r.Loose = {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1 } },
        },
      };
      r.NG.Properties.LaunchTemplate = { Id: { 'Fn::If': ['C', { Ref: 'LT' }, { Ref: 'Loose' }] } };
    });
    expect(messages(result)).toEqual(["launch template Loose does not require IMDSv2 (HttpTokens is 'optional')"]);
  });
  test('unresolved: a launch template outside the template, or a hop limit from a parameter', () => {
    const outside = checkNodegroup(Imdsv2HopLimit, (r) => {
      r.NG.Properties.LaunchTemplate = { Id: 'lt-0123456789abcdef0' };
    });
    expect(outside.findings).toEqual([
      exactUnresolved("launch template ID 'lt-0123456789abcdef0'", 'a launch template outside the template'),
    ]);
    const parameter = checkNodegroup(Imdsv2HopLimit, (r) => {
      r.LT.Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit = { Ref: 'Hops' };
    });
    expect(parameter.status).toBe('fail');
    expect(parameter.findings[0]).toEqual(unresolvedFinding(/HttpPutResponseHopLimit of launch template LT/));
  });
  test('the real product passes, and fails on its node group once the hop limit is raised or IMDSv1 allowed', () => {
    const template = productTemplate();
    expect(failures(Imdsv2HopLimit, template)).toEqual([]);
    const { nodegroup, launchTemplate } = productNodegroup(template);
    const options = template.Resources[launchTemplate].Properties.LaunchTemplateData.MetadataOptions;
    options.HttpPutResponseHopLimit = 2;
    expect(failures(Imdsv2HopLimit, template).map((e) => e.logicalId)).toEqual([nodegroup]);
    options.HttpPutResponseHopLimit = 1;
    options.HttpTokens = 'optional';
    expect(failures(Imdsv2HopLimit, template).map((e) => [e.logicalId, e.findings.length])).toEqual([[nodegroup, 1]]);
  });
});
