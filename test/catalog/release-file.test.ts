import release from '../../products/hardened-eks/release.json';
import { parseRelease } from '../../lib/catalog/release-file';
import { expectConfigError } from '../config/expect-config-error';

/** release.json: the current version, retained versions and their statuses; mistakes name the file and the field. */
const FILE = 'products/x/release.json';
const current = { name: 'v1.2.0', description: 'Current', locked: true };
const retained = (status?: string, name = 'v1.1.0') => ({
  name,
  description: `Retained ${name}`,
  ...(status === undefined ? {} : { status }),
});

test('the built-in product retires v1.2.0, v1.1.0 and v1.0.0 (inactive: each has fewer controls than v1.3.0)', () => {
  expect(parseRelease(release, 'products/hardened-eks/release.json').retained).toEqual([
    { name: 'v1.2.0', description: release.retained[0].description, status: 'inactive' },
    { name: 'v1.1.0', description: release.retained[1].description, status: 'inactive' },
    { name: 'v1.0.0', description: release.retained[2].description, status: 'inactive' },
  ]);
});

test('a retained version is active unless marked deprecated or inactive', () => {
  expect(
    parseRelease(
      { current, retained: [retained(), retained('deprecated', 'v1.0.0'), retained('inactive', 'v0.9.0')] },
      FILE,
    ).retained.map((v) => [v.name, v.status]),
  ).toEqual([
    ['v1.1.0', 'active'],
    ['v1.0.0', 'deprecated'],
    ['v0.9.0', 'inactive'],
  ]);
});

test('the current version may accept breaking changes, each with a migration note', () => {
  const accepted = [
    { resource: 'HardenedClusterBC369F98', migration: ' Back up with Velero, restore into the new cluster. ' },
  ];
  expect(
    parseRelease({ current: { ...current, acceptedBreakingChanges: accepted }, retained: [] }, FILE).current
      .acceptedBreakingChanges,
  ).toEqual([{ resource: 'HardenedClusterBC369F98', migration: 'Back up with Velero, restore into the new cluster.' }]);
  expect(parseRelease({ current, retained: [] }, FILE).current.acceptedBreakingChanges).toEqual([]);
});

test.each<[string, unknown, string, RegExp | string]>([
  [
    'a breaking change without a migration note',
    { current: { ...current, acceptedBreakingChanges: [{ resource: 'HardenedClusterBC369F98' }] } },
    `${FILE} current.acceptedBreakingChanges[0].migration`,
    /^is missing: accepting a breaking change of HardenedClusterBC369F98 needs a migration note/,
  ],
  [
    'a breaking change with a blank migration note',
    { current: { ...current, acceptedBreakingChanges: [{ resource: 'Key1', migration: '  ' }] } },
    `${FILE} current.acceptedBreakingChanges[0].migration`,
    'is missing',
  ],
  [
    'a breaking change naming a construct path',
    { current: { ...current, acceptedBreakingChanges: [{ resource: 'HardenedEksProduct/Cluster', migration: 'x' }] } },
    `${FILE} current.acceptedBreakingChanges[0].resource`,
    'is not a logical ID of the product template',
  ],
  [
    'a breaking change with an unknown key',
    { current: { ...current, acceptedBreakingChanges: [{ resource: 'Key1', migration: 'x', from: 'v1.0.0' }] } },
    `${FILE} current.acceptedBreakingChanges[0].from`,
    'unknown key (allowed: resource, migration)',
  ],
  [
    'a deprecated current version',
    { current: { ...current, status: 'deprecated' }, retained: [] },
    `${FILE} current.status`,
    /'deprecated': the current version is the one consumers launch and update to, so it cannot be retired/,
  ],
  [
    'a retained version that is the current one, deprecated',
    { current, retained: [retained('deprecated', 'v1.2.0')] },
    `${FILE} retained[0].name`,
    /'v1.2.0' is the current version: a version is either current or retained/,
  ],
  [
    'an unknown status',
    { current, retained: [retained('retired')] },
    `${FILE} retained[0].status`,
    "'retired' is not one of active, deprecated, inactive",
  ],
  [
    'a status that is not a string',
    { current, retained: [retained(false as unknown as string)] },
    `${FILE} retained[0].status`,
    'must be a non-empty string',
  ],
  [
    'a retained version named twice',
    { current, retained: [retained(), retained('deprecated')] },
    `${FILE} retained[1].name`,
    "'v1.1.0' is retained twice",
  ],
  [
    'a retained version without a v',
    { current, retained: [retained(undefined, '1.1.0')] },
    `${FILE} retained[0].name`,
    "'1.1.0' is not a version like v1.2.3",
  ],
])('%s is refused', (_name, raw, field, rule) => {
  expectConfigError(() => parseRelease(raw, FILE), field, rule);
});
