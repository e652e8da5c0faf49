import { collectOrganizations } from '../../../../lambdas/core/investigation/reach/collect-organizations';
import { collectSecrets } from '../../../../lambdas/core/investigation/reach/collect-secrets';
import { collectParameters } from '../../../../lambdas/core/investigation/reach/collect-ssm';
import type { JsonCommand } from '../../../../lambdas/core/investigation/reach/json-api';
import { RoundTrips } from '../../../support/round-trips';
import { awsError, fakeApi } from './json-fakes';
import { ACCOUNT, allow, deny, doc, REGION } from './reach-fixtures';

/** A NextToken-paginated list of `total` items, `perPage` per page, as Secrets Manager and SSM page. */
function paged<T>(total: number, perPage: number, item: (i: number) => T, field: string) {
  return (input: Readonly<Record<string, unknown>>) => {
    const start = Number(input.NextToken ?? 0);
    const end = Math.min(total, start + perPage);
    return {
      [field]: Array.from({ length: end - start }, (_, k) => item(start + k)),
      ...(end < total ? { NextToken: String(end) } : {}),
    };
  };
}

describe('collectors page through 1,000 stores', () => {
  it('1,000 secrets: 10 ListSecrets pages, one GetResourcePolicy each, in sequential round trips that grow with pages', async () => {
    const wire = new RoundTrips();
    const calls: JsonCommand[] = [];
    const arn = (i: number) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:s${i}-AbCdEf`;
    const api = fakeApi(
      {
        ListSecrets: (input) =>
          wire.answer(() => paged(1000, 100, (i) => ({ ARN: arn(i), Name: `s${i}` }), 'SecretList')(input)),
        GetResourcePolicy: (input) => wire.answer(() => ({ ARN: input.SecretId })),
      },
      calls,
    );
    const out = await collectSecrets(api, REGION, ACCOUNT);
    expect(out.stores).toHaveLength(1000);
    expect(new Set(out.stores.map((s) => s.arn)).size).toBe(1000);
    expect(calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(10);
    expect(calls.filter((c) => c.operation === 'GetResourcePolicy')).toHaveLength(1000);
    // One round trip per page for the list and one for the page's policies: 20, not 1,010.
    expect(wire.ticks).toBe(20);
  });

  it('1,000 SecureString parameters: 20 DescribeParameters pages; tags read per page concurrently, none without classification tags', async () => {
    const wire = new RoundTrips();
    const calls: JsonCommand[] = [];
    const api = fakeApi(
      {
        DescribeParameters: (input) =>
          wire.answer(() =>
            paged(
              1000,
              50,
              (i) => ({ Name: `/p/${i}`, Type: 'SecureString', KeyId: 'alias/aws/ssm' }),
              'Parameters',
            )(input),
          ),
        ListTagsForResource: () => wire.answer(() => ({ TagList: [{ Key: 'pii', Value: 'yes' }] })),
      },
      calls,
    );
    const out = await collectParameters(api, REGION, ACCOUNT, true);
    expect(out.stores).toHaveLength(1000);
    expect(out.stores[0]?.tags).toEqual({ pii: 'yes' });
    expect(calls.filter((c) => c.operation === 'DescribeParameters')).toHaveLength(20);
    expect(calls[0]?.input).toMatchObject({
      ParameterFilters: [{ Key: 'Type', Option: 'Equals', Values: ['SecureString'] }],
    });
    expect(wire.ticks).toBe(40);
    const untagged: JsonCommand[] = [];
    await collectParameters(
      fakeApi(
        {
          DescribeParameters: paged(
            1000,
            50,
            (i) => ({ Name: `/p/${i}`, Type: 'SecureString' }),
            'Parameters',
          ),
        },
        untagged,
      ),
      REGION,
      ACCOUNT,
      false,
    );
    expect(untagged.every((c) => c.operation === 'DescribeParameters')).toBe(true);
  });

  it('a secret whose policy cannot be read is unknown with the reason, the others are collected', async () => {
    const api = fakeApi({
      ListSecrets: () => ({ SecretList: [{ ARN: 'arn:a' }, { ARN: 'arn:b' }] }),
      GetResourcePolicy: (input) => {
        if (input.SecretId === 'arn:a') throw awsError('AccessDeniedException', 'no');
        return { ResourcePolicy: JSON.stringify(doc(allow('secretsmanager:GetSecretValue'))) };
      },
    });
    const out = await collectSecrets(api, REGION, ACCOUNT);
    expect(out.stores.map((s) => s.unknown)).toEqual([
      'GetResourcePolicy: AccessDeniedException: no',
      undefined,
    ]);
    expect(out.resources.map((r) => r.arn)).toEqual(['arn:b']);
  });
});

describe('collectOrganizations', () => {
  const scpDenySecrets = doc(deny('secretsmanager:*'));
  const full = doc(allow('*'));
  const rcp = doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' });
  const org = (calls: JsonCommand[] = []) =>
    fakeApi(
      {
        DescribeOrganization: () => ({ Organization: { Id: 'o-abc123' } }),
        ListParents: (input) =>
          input.ChildId === ACCOUNT
            ? { Parents: [{ Id: 'ou-ab12-prod', Type: 'ORGANIZATIONAL_UNIT' }] }
            : { Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] },
        ListPoliciesForTarget: (input) => {
          const scp = input.Filter === 'SERVICE_CONTROL_POLICY';
          if (input.TargetId === 'r-ab12') return { Policies: [{ Id: scp ? 'p-full' : 'p-rcpfull' }] };
          if (input.TargetId === 'ou-ab12-prod')
            return { Policies: scp ? [{ Id: 'p-full' }, { Id: 'p-nosecrets' }] : [{ Id: 'p-rcp' }] };
          return { Policies: [{ Id: scp ? 'p-full' : 'p-rcpfull' }] };
        },
        DescribePolicy: (input) => ({
          Policy: {
            Content: JSON.stringify(
              { 'p-full': full, 'p-nosecrets': scpDenySecrets, 'p-rcpfull': full, 'p-rcp': rcp }[
                input.PolicyId as string
              ],
            ),
          },
        }),
      },
      calls,
    );

  it('reads the SCP and RCP chains root first, each policy described once', async () => {
    const calls: JsonCommand[] = [];
    const facts = await collectOrganizations(org(calls), ACCOUNT, [ACCOUNT]);
    expect(facts.orgId).toBe('o-abc123');
    expect(facts.scps).toEqual([[full], [full, scpDenySecrets], [full]]);
    expect(facts.rcps).toEqual({ [ACCOUNT]: [[full], [rcp], [full]] });
    expect(calls.filter((c) => c.operation === 'DescribePolicy')).toHaveLength(4);
    expect(facts.unknown).toEqual([]);
  });

  it.each(['AccessDeniedException', 'AWSOrganizationsNotInUseException'])(
    '%s is recorded as unknown, with no chains',
    async (name) => {
      const facts = await collectOrganizations(
        fakeApi({
          DescribeOrganization: () => {
            throw awsError(name, 'from AWS');
          },
        }),
        ACCOUNT,
        [ACCOUNT],
      );
      expect(facts).toEqual({
        orgId: undefined,
        scps: [],
        rcps: {},
        unknown: [{ what: 'organizations:DescribeOrganization', reason: `${name}: from AWS` }],
      });
    },
  );
});
