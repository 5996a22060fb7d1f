import {
  ACCESS_ENTRY_ACTIONS,
  ADM_ACTIONS,
  ADM_IDS,
  ADMIN_API_ACTIONS_BY_ID,
  labelAction,
} from '../../../nag-rules/core/admin-api-actions';

test('the guarded admin-API actions, in ADM order, labelled for messages', () => {
  expect(ADM_IDS[0]).toBe('ADM-1');
  expect(ADM_IDS).toHaveLength(Object.keys(ADMIN_API_ACTIONS_BY_ID).length);
  expect(ADM_ACTIONS.every((a) => a.startsWith('eks:'))).toBe(true);
  expect(new Set(ADM_ACTIONS).size).toBe(ADM_ACTIONS.length);
  expect(labelAction(ADMIN_API_ACTIONS_BY_ID['ADM-36'])).toBe('eks:MutateViaKubernetesApi (ADM-36)');
  expect(labelAction(ACCESS_ENTRY_ACTIONS[0])).toBe('eks:CreateAccessEntry (ADM-13)');
  expect(labelAction('eks:DescribeCluster')).toBe('eks:DescribeCluster');
});
