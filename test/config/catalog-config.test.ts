import { App } from 'aws-cdk-lib';
import { CatalogStack } from '../../lib/catalog/catalog-stack';
import { CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../../lib/config/catalog-config';
import { defaultConfig, projectContext } from '../support/project-app';
import { expectConfigError } from './expect-config-error';

/** The built-in `catalog` context from cdk.json, as a fresh mutable copy. */
function rawCatalog(): Record<string, any> {
  return structuredClone(projectContext()[CONFIG_CONTEXT_KEY]);
}

/** The project's context without the catalog configuration (feature flags only). */
function contextWithoutCatalog(): Record<string, unknown> {
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  return context;
}

describe('the built-in configuration', () => {
  test('the catalog context in cdk.json parses without error', () => {
    const config = parseCatalogConfig(projectContext()[CONFIG_CONTEXT_KEY]);

    expect(config.organizationId).toBe('o-exampleorg1');
    expect(config.assetBucketName).toBe('hardened-eks-catalog-assets-example');
    expect(config.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(config.shareWithAccounts).toEqual([]);
    expect(config.shareWithOrganization).toEqual([{ type: 'ORGANIZATIONAL_UNIT', value: 'ou-ab12-cd34ef56' }]);
    expect(config.portfolioRoleArns).toEqual(['arn:aws:iam::111122223333:role/PlatformConsumers']);
    expect(config.portfolioPrincipalPatterns).toEqual(['arn:aws:iam:::role/PlatformConsumers*']);
    expect(config.tagOptions).toEqual({
      CostCenter: ['platform', 'payments', 'analytics'],
      Environment: ['dev', 'test', 'prod'],
    });
    expect(config.products.map((p) => p.folder)).toEqual(['hardened-eks']);
    expect(config.portfolio.displayName).toBe('Hardened Amazon EKS');
  });

  test('defaultConfig() from the test support parses the same configuration', () => {
    expect(defaultConfig()).toEqual(parseCatalogConfig(projectContext()[CONFIG_CONTEXT_KEY]));
  });

  test('optional lists may be left out and default to empty', () => {
    const raw = rawCatalog();
    delete raw.shareWithAccounts;
    delete raw.shareWithOrganization;
    delete raw.portfolioRoleArns;
    delete raw.portfolioPrincipalPatterns;
    delete raw.tagOptions;

    const config = parseCatalogConfig(raw);

    expect(config.portfolioPrincipalPatterns).toEqual([]);
    expect(config.shareWithAccounts).toEqual([]);
    expect(config.shareWithOrganization).toEqual([]);
    expect(config.portfolioRoleArns).toEqual([]);
    expect(config.tagOptions).toEqual({});
  });

  test('a valid account to share with and several role ARNs are accepted', () => {
    const config = parseCatalogConfig({
      ...rawCatalog(),
      shareWithAccounts: ['111122223333', '444455556666'],
      portfolioRoleArns: ['arn:aws:iam::111122223333:role/A', 'arn:aws-us-gov:iam::111122223333:role/path/B'],
    });

    expect(config.shareWithAccounts).toEqual(['111122223333', '444455556666']);
    expect(config.portfolioRoleArns).toHaveLength(2);
  });

  test('principal name patterns with wildcards in the path or name, for roles, users and groups, are accepted', () => {
    const patterns = [
      'arn:aws:iam:::role/PlatformConsumers*',
      'arn:aws:iam:::role/teams/*/Deployer?',
      'arn:aws-us-gov:iam:::user/ops/*',
      'arn:aws:iam:::group/Developers',
    ];
    expect(
      parseCatalogConfig({ ...rawCatalog(), portfolioPrincipalPatterns: patterns }).portfolioPrincipalPatterns,
    ).toEqual(patterns);
  });

  test("organizational units and the catalog's own organization are shared with as their Organizations node types", () => {
    const config = parseCatalogConfig({
      ...rawCatalog(),
      shareWithOrganization: ['ou-ab12-cd34ef56', 'ou-r00t-0123456789abcdef', 'o-exampleorg1'],
    });

    expect(config.shareWithOrganization).toEqual([
      { type: 'ORGANIZATIONAL_UNIT', value: 'ou-ab12-cd34ef56' },
      { type: 'ORGANIZATIONAL_UNIT', value: 'ou-r00t-0123456789abcdef' },
      { type: 'ORGANIZATION', value: 'o-exampleorg1' },
    ]);
  });
});

describe('missing or malformed catalog context', () => {
  test('an app without the catalog context stops naming the context key and cdk.json', () => {
    const app = new App({ context: contextWithoutCatalog() });

    expectConfigError(
      () => parseCatalogConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY)),
      'catalog',
      /is missing: add a "catalog" object to the context in cdk\.json/,
    );
  });

  test.each([
    ['a string', 'hardened-eks'],
    ['a list', []],
    ['null', null],
  ])('a catalog context that is %s is refused', (_name, raw) => {
    expectConfigError(() => parseCatalogConfig(raw), 'catalog', 'must be an object');
  });
});

type Mutation = (raw: Record<string, any>) => void;

describe('bad catalog configuration stops with a ConfigError naming the field and the rule', () => {
  test.each<[string, Mutation, string, RegExp | string]>([
    // unknown keys
    [
      'unknown key at top level',
      (c) => {
        c.portfolios = {};
      },
      'catalog.portfolios',
      /^unknown key \(allowed: portfolio, organizationId, assetBucketName, .*products, accountBaseline\)$/,
    ],
    [
      'misspelled key at top level',
      (c) => {
        c.organisationId = c.organizationId;
      },
      'catalog.organisationId',
      'unknown key',
    ],
    [
      'unknown key in portfolio',
      (c) => {
        c.portfolio.owner = 'me';
      },
      'catalog.portfolio.owner',
      /^unknown key \(allowed: displayName, providerName, description\)$/,
    ],
    [
      'unknown key in a product entry',
      (c) => {
        c.products[0].version = 'v2';
      },
      'catalog.products[0].version',
      /^unknown key \(allowed: folder, settings\)$/,
    ],
    // portfolio
    [
      'portfolio missing',
      (c) => {
        delete c.portfolio;
      },
      'catalog.portfolio',
      'must be an object',
    ],
    [
      'portfolio display name missing',
      (c) => {
        delete c.portfolio.displayName;
      },
      'catalog.portfolio.displayName',
      'must be a non-empty string',
    ],
    [
      'portfolio provider name too long',
      (c) => {
        c.portfolio.providerName = 'x'.repeat(51);
      },
      'catalog.portfolio.providerName',
      'is not a name of 1-50 characters',
    ],
    // organization
    [
      'organizationId without the o- prefix',
      (c) => {
        c.organizationId = 'exampleorg1';
      },
      'catalog.organizationId',
      /is not an AWS Organizations ID like o-/,
    ],
    [
      'organizationId too short',
      (c) => {
        c.organizationId = 'o-abc';
      },
      'catalog.organizationId',
      /'o-abc' is not an AWS Organizations ID/,
    ],
    [
      'organizationId in upper case',
      (c) => {
        c.organizationId = 'O-EXAMPLEORG1';
      },
      'catalog.organizationId',
      'is not an AWS Organizations ID',
    ],
    [
      'organizationId that is an account ID',
      (c) => {
        c.organizationId = '111122223333';
      },
      'catalog.organizationId',
      'is not an AWS Organizations ID',
    ],
    [
      'organizationId missing',
      (c) => {
        delete c.organizationId;
      },
      'catalog.organizationId',
      'must be a non-empty string',
    ],
    // asset bucket
    [
      'bucket name with upper case and underscore',
      (c) => {
        c.assetBucketName = 'Hardened_EKS';
      },
      'catalog.assetBucketName',
      /'Hardened_EKS' is not a valid S3 bucket name/,
    ],
    // regions
    [
      'an empty region list',
      (c) => {
        c.regions = [];
      },
      'catalog.regions',
      'must not be empty',
    ],
    [
      'no region list',
      (c) => {
        delete c.regions;
      },
      'catalog.regions',
      /is missing: list the regions the catalog is offered in, the home region first/,
    ],
    [
      'a region twice',
      (c) => {
        c.regions = ['eu-west-1', 'us-east-1', 'eu-west-1'];
      },
      'catalog.regions[2]',
      /duplicates an earlier entry \("eu-west-1"\)/,
    ],
    [
      'a region that is an availability zone',
      (c) => {
        c.regions = ['eu-west-1a'];
      },
      'catalog.regions[0]',
      "'eu-west-1a' is not an AWS region like eu-west-1",
    ],
    [
      'a region list that is a string',
      (c) => {
        c.regions = 'eu-west-1';
      },
      'catalog.regions',
      'must be a list',
    ],
    [
      "a bucket name too long for a regional hub's bucket",
      (c) => {
        c.assetBucketName = 'a'.repeat(50);
        c.regions = ['eu-west-1', 'ap-southeast-2'];
      },
      'catalog.assetBucketName',
      /is too long for the ap-southeast-2 hub's bucket 'a{50}-ap-southeast-2'/,
    ],
    // sharing
    [
      'account ID with 11 digits',
      (c) => {
        c.shareWithAccounts = ['11112222333'];
      },
      'catalog.shareWithAccounts[0]',
      /'11112222333' is not a 12-digit AWS account ID/,
    ],
    [
      'account ID with letters (second entry)',
      (c) => {
        c.shareWithAccounts = ['111122223333', '1111-2222-333'];
      },
      'catalog.shareWithAccounts[1]',
      'is not a 12-digit AWS account ID',
    ],
    [
      'account ID as a number',
      (c) => {
        c.shareWithAccounts = [111122223333];
      },
      'catalog.shareWithAccounts[0]',
      'must be a non-empty string',
    ],
    [
      'shareWithAccounts not a list',
      (c) => {
        c.shareWithAccounts = '111122223333';
      },
      'catalog.shareWithAccounts',
      'must be a list',
    ],
    [
      'duplicate account',
      (c) => {
        c.shareWithAccounts = ['111122223333', '444455556666', '111122223333'];
      },
      'catalog.shareWithAccounts[2]',
      /duplicates an earlier entry \("111122223333"\)/,
    ],
    [
      'OU ID without its root part',
      (c) => {
        c.shareWithOrganization = ['ou-cd34ef56'];
      },
      'catalog.shareWithOrganization[0]',
      /'ou-cd34ef56' is not an organizational unit ID like ou-ab12-cd34ef56, nor the catalog's organization o-exampleorg1/,
    ],
    [
      'OU ID with upper case (second entry)',
      (c) => {
        c.shareWithOrganization = ['ou-ab12-cd34ef56', 'OU-AB12-CD34EF56'];
      },
      'catalog.shareWithOrganization[1]',
      'is not an organizational unit ID',
    ],
    [
      'OU ID with a short second part',
      (c) => {
        c.shareWithOrganization = ['ou-ab12-cd34'];
      },
      'catalog.shareWithOrganization[0]',
      'is not an organizational unit ID',
    ],
    [
      'another organization',
      (c) => {
        c.shareWithOrganization = ['o-otherorg123'];
      },
      'catalog.shareWithOrganization[0]',
      /nor the catalog's organization o-exampleorg1/,
    ],
    [
      'an account ID as an organization node',
      (c) => {
        c.shareWithOrganization = ['111122223333'];
      },
      'catalog.shareWithOrganization[0]',
      'is not an organizational unit ID',
    ],
    [
      'shareWithOrganization not a list',
      (c) => {
        c.shareWithOrganization = 'ou-ab12-cd34ef56';
      },
      'catalog.shareWithOrganization',
      'must be a list',
    ],
    [
      'duplicate OU',
      (c) => {
        c.shareWithOrganization = ['ou-ab12-cd34ef56', 'ou-ab12-cd34ef56'];
      },
      'catalog.shareWithOrganization[1]',
      'duplicates an earlier entry',
    ],
    // principals
    [
      'user ARN as portfolio role',
      (c) => {
        c.portfolioRoleArns = ['arn:aws:iam::111122223333:user/alice'];
      },
      'catalog.portfolioRoleArns[0]',
      /'arn:aws:iam::111122223333:user\/alice' is not an IAM role ARN/,
    ],
    [
      'assumed-role session ARN as portfolio role',
      (c) => {
        c.portfolioRoleArns = ['arn:aws:sts::111122223333:assumed-role/PlatformConsumers/s'];
      },
      'catalog.portfolioRoleArns[0]',
      'is not an IAM role ARN',
    ],
    [
      'role ARN with a short account',
      (c) => {
        c.portfolioRoleArns.push('arn:aws:iam::11112222333:role/X');
      },
      'catalog.portfolioRoleArns[1]',
      'is not an IAM role ARN',
    ],
    [
      'role name instead of ARN',
      (c) => {
        c.portfolioRoleArns = ['PlatformConsumers'];
      },
      'catalog.portfolioRoleArns[0]',
      'is not an IAM role ARN',
    ],
    [
      'principal pattern with an account',
      (c) => {
        c.portfolioPrincipalPatterns = ['arn:aws:iam::111122223333:role/PlatformConsumers*'];
      },
      'catalog.portfolioPrincipalPatterns[0]',
      /is not a principal name pattern without an account, like arn:aws:iam:::role\/PlatformConsumers\*/,
    ],
    [
      'principal pattern with a wildcard resource type',
      (c) => {
        c.portfolioPrincipalPatterns = ['arn:aws:iam:::*/PlatformConsumers'];
      },
      'catalog.portfolioPrincipalPatterns[0]',
      'is not a principal name pattern',
    ],
    [
      'principal pattern of another service',
      (c) => {
        c.portfolioPrincipalPatterns = ['arn:aws:sts:::assumed-role/PlatformConsumers*'];
      },
      'catalog.portfolioPrincipalPatterns[0]',
      'is not a principal name pattern',
    ],
    [
      'eleven principal patterns',
      (c) => {
        c.portfolioPrincipalPatterns = Array.from({ length: 11 }, (_, i) => `arn:aws:iam:::role/Team${i}*`);
      },
      'catalog.portfolioPrincipalPatterns',
      'takes at most 10 entries',
    ],
    [
      'duplicate principal pattern',
      (c) => {
        c.portfolioPrincipalPatterns = ['arn:aws:iam:::role/A*', 'arn:aws:iam:::role/A*'];
      },
      'catalog.portfolioPrincipalPatterns[1]',
      'duplicates an earlier entry',
    ],
    [
      'duplicate portfolio role',
      (c) => {
        c.portfolioRoleArns.push(c.portfolioRoleArns[0]);
      },
      'catalog.portfolioRoleArns[1]',
      'duplicates an earlier entry',
    ],
    // tag options
    [
      'tag option with no values',
      (c) => {
        c.tagOptions.Environment = [];
      },
      'catalog.tagOptions.Environment',
      'must not be empty',
    ],
    [
      'duplicate tag option value',
      (c) => {
        c.tagOptions.Environment = ['dev', 'dev'];
      },
      'catalog.tagOptions.Environment[1]',
      'duplicates an earlier entry',
    ],
    [
      'tag option value too long',
      (c) => {
        c.tagOptions.CostCenter = ['x'.repeat(257)];
      },
      'catalog.tagOptions.CostCenter[0]',
      'is not a tag value of 1-256 characters',
    ],
    [
      'tag option key too long',
      (c) => {
        c.tagOptions = { ['k'.repeat(129)]: ['v'] };
      },
      `catalog.tagOptions.${'k'.repeat(129)}`,
      'is not a tag key of 1-128 characters',
    ],
    [
      'tagOptions not an object',
      (c) => {
        c.tagOptions = ['CostCenter'];
      },
      'catalog.tagOptions',
      'must be an object',
    ],
    // products
    [
      'no products',
      (c) => {
        c.products = [];
      },
      'catalog.products',
      'must not be empty',
    ],
    [
      'products missing',
      (c) => {
        delete c.products;
      },
      'catalog.products',
      'must be a list',
    ],
    [
      'product folder not a folder name',
      (c) => {
        c.products[0].folder = '../hardened-eks';
      },
      'catalog.products[0].folder',
      'is not a folder name under products/',
    ],
    [
      'the same product twice',
      (c) => {
        c.products.push(structuredClone(c.products[0]));
      },
      'catalog.products[1]',
      'duplicates an earlier entry',
    ],
  ])('%s', (_name, mutate, field, rule) => {
    const raw = rawCatalog();
    mutate(raw);

    expectConfigError(() => parseCatalogConfig(raw), field, rule);
  });

  test.each([
    ['with two dots in a row', 'assets..example'],
    ['with the xn-- prefix', 'xn--assets'],
    ['too short', 'ab'],
    ['too long', 'a'.repeat(64)],
    ['shaped like an IP address', '192.168.1.1'],
    ['with a dot next to a hyphen', 'ab.-cd'],
    ['ending in a hyphen', 'assets-'],
  ])('bucket name %s', (_name, assetBucketName) => {
    const raw = rawCatalog();
    raw.assetBucketName = assetBucketName;

    expectConfigError(() => parseCatalogConfig(raw), 'catalog.assetBucketName', 'is not a valid S3 bucket name');
  });
});

describe('the catalog stack reports product problems by their configuration path', () => {
  test('a product folder that does not exist is named as catalog.products[0].folder', () => {
    const raw = rawCatalog();
    raw.products[0].folder = 'no-such-product';
    const config = parseCatalogConfig(raw);

    expectConfigError(
      () => new CatalogStack(new App({ context: contextWithoutCatalog() }), 'HardenedEksCatalog', { config }),
      'catalog.products[0].folder',
      /^no product folder .*no-such-product$/,
    );
  });
});

describe('the organization stack', () => {
  test('left out, no organization stack is configured', () => {
    const raw = rawCatalog();
    delete raw.organizationStack;
    expect(parseCatalogConfig(raw).organizationStack).toBeUndefined();
  });

  test('the concurrency and failure tolerance default to 25% and 10%; the root may be a target', () => {
    const raw = rawCatalog();
    raw.organizationStack = { region: 'eu-west-1', callAs: 'SELF', targetOrganizationalUnitIds: ['r-ab12'] };
    expect(parseCatalogConfig(raw).organizationStack).toEqual({
      region: 'eu-west-1',
      callAs: 'SELF',
      targetOrganizationalUnitIds: ['r-ab12'],
      maxConcurrentPercentage: 25,
      failureTolerancePercentage: 10,
    });
  });

  test.each<[string, Mutation, string, RegExp | string]>([
    [
      'a target OU ID of the wrong shape',
      (c) => {
        c.organizationStack.targetOrganizationalUnitIds = ['ou-ab12'];
      },
      'catalog.organizationStack.targetOrganizationalUnitIds[0]',
      /'ou-ab12' is not an organizational unit ID like ou-ab12-cd34ef56 or the root ID like r-ab12/,
    ],
    [
      'an account as a target',
      (c) => {
        c.organizationStack.targetOrganizationalUnitIds = ['444455556666'];
      },
      'catalog.organizationStack.targetOrganizationalUnitIds[0]',
      'is not an organizational unit ID',
    ],
    [
      'no targets',
      (c) => {
        c.organizationStack.targetOrganizationalUnitIds = [];
      },
      'catalog.organizationStack.targetOrganizationalUnitIds',
      'must not be empty',
    ],
    [
      'an unknown callAs',
      (c) => {
        c.organizationStack.callAs = 'MANAGEMENT';
      },
      'catalog.organizationStack.callAs',
      "'MANAGEMENT' is not one of SELF, DELEGATED_ADMIN",
    ],
    [
      'a region that is not one',
      (c) => {
        c.organizationStack.region = 'europe';
      },
      'catalog.organizationStack.region',
      "'europe' is not an AWS region like eu-west-1",
    ],
    [
      'a concurrency of 0%',
      (c) => {
        c.organizationStack.maxConcurrentPercentage = 0;
      },
      'catalog.organizationStack.maxConcurrentPercentage',
      'must be a whole number from 1 to 100',
    ],
    [
      'more failures tolerated than run at once',
      (c) => {
        c.organizationStack.failureTolerancePercentage = 50;
      },
      'catalog.organizationStack.failureTolerancePercentage',
      /50 is above maxConcurrentPercentage 25/,
    ],
    [
      'an unknown key',
      (c) => {
        c.organizationStack.accounts = [];
      },
      'catalog.organizationStack.accounts',
      /^unknown key \(allowed: region, callAs, targetOrganizationalUnitIds/,
    ],
  ])('%s is refused', (_name, mutate, field, rule) => {
    const raw = rawCatalog();
    mutate(raw);
    expectConfigError(() => parseCatalogConfig(raw), field, rule);
  });
});

describe('the account-baseline switches', () => {
  test('left out, every part of the account baseline is on', () => {
    expect(parseCatalogConfig(rawCatalog()).accountBaseline).toEqual({
      guardDuty: true,
      config: true,
      enhancedImageScanning: true,
    });
  });
  test('a part the organization already provides can be turned off', () => {
    const raw = { ...rawCatalog(), accountBaseline: { guardDuty: false } };
    expect(parseCatalogConfig(raw).accountBaseline).toEqual({
      guardDuty: false,
      config: true,
      enhancedImageScanning: true,
    });
  });
  test.each<[string, unknown, string, RegExp | string]>([
    [
      'an unknown switch',
      { inspector: true },
      'catalog.accountBaseline.inspector',
      /^unknown key \(allowed: guardDuty, config, enhancedImageScanning\)$/,
    ],
    ['a switch that is not a boolean', { config: 'yes' }, 'catalog.accountBaseline.config', 'must be true or false'],
    [
      'every switch off',
      { guardDuty: false, config: false, enhancedImageScanning: false },
      'catalog.accountBaseline',
      /turns every part off/,
    ],
  ])('%s is refused', (_, accountBaseline, field, rule) => {
    expectConfigError(() => parseCatalogConfig({ ...rawCatalog(), accountBaseline }), field, rule);
  });
});
