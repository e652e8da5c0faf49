import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { routeApiRequest } from '../../lambdas/core/intake/api-router';
import type { ApiDeps } from '../../lambdas/core/intake/api-routes';
import { InProcessStarter } from '../../lambdas/core/intake/in-process-starter';
import { listQuarantines } from '../../lambdas/core/intake/ledger-queries';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { claimQuarantine, updateQuarantine } from '../../lambdas/core/ledger/ledger';
import { parseQuarantineRequest } from '../../lambdas/core/schemas/quarantine-request';
import { buildScenario, type Scenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';
import { setPath } from '../unit/intake/fixtures';

const CALLER = 'arn:aws:sts::123456789012:assumed-role/sequester-on-call/alice';
const API_DIR = join(__dirname, '..', 'fixtures', 'api');
const template = (name: string): Record<string, unknown> =>
  structuredClone(JSON.parse(readFileSync(join(API_DIR, name), 'utf8')));

function request(
  method: string,
  path: string,
  opts: { body?: unknown; query?: Record<string, string> } = {},
) {
  const e = template('get-quarantine.json');
  setPath(e, 'rawPath', path);
  setPath(e, 'requestContext.http.method', method);
  setPath(e, 'requestContext.http.path', path);
  if (opts.body !== undefined) setPath(e, 'body', JSON.stringify(opts.body));
  if (opts.query !== undefined) setPath(e, 'queryStringParameters', opts.query);
  return e;
}

describe('On-call HTTP API against moto', () => {
  let env: MotoEnv;
  let s: Scenario;
  let deps: ApiDeps;
  const call = async (e: unknown) => {
    const res = await routeApiRequest(deps, e);
    return { ...res, json: JSON.parse(res.body) };
  };
  const quarantineIt = () =>
    call(request('POST', '/quarantines', { body: { instanceId: s.instanceId, reason: 'C2 beaconing' } }));

  beforeEach(async () => {
    env = await freshMoto();
    s = await buildScenario(env.clients);
    deps = {
      ledger: env.ledger,
      starter: new InProcessStarter(() => env.clients, env.ledger, DEFAULT_ENGINE_CONFIG),
      clientsFor: () => env.clients,
      engine: DEFAULT_ENGINE_CONFIG,
      defaultRegion: REGION,
    };
  });

  it('POST /quarantines answers 202 with Location and records the caller as the requester', async () => {
    // Act
    const res = await quarantineIt();
    // Assess
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/quarantines/${res.json.quarantineId}`);
    expect(res.json).toMatchObject({
      state: 'isolated',
      instance: { instanceId: s.instanceId, region: REGION },
      trigger: { kind: 'api', principalArn: CALLER },
    });
    expect(res.json.timeline[0]).toMatchObject({ step: 'request', actor: CALLER, at: expect.any(String) });
  });

  it('POST /quarantines for an instance already quarantined answers 200 with that quarantine', async () => {
    const first = await quarantineIt();
    const again = await quarantineIt();
    expect(again.statusCode).toBe(200);
    expect(again.json.quarantineId).toBe(first.json.quarantineId);
    expect(again.headers.location).toBeUndefined();
  });

  it('POST /quarantines with dryRun answers 200 with the plan and claims nothing', async () => {
    const before = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const res = await call(
      request('POST', '/quarantines', { body: { instanceId: s.instanceId, reason: 'drill', dryRun: true } }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json.plan.calls.length).toBeGreaterThan(0);
    expect((await listQuarantines(env.ledger, { limit: 10 })).items).toEqual([]);
    const after = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    expect(after.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces).toEqual(
      before.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces,
    );
  });

  it('GET /quarantines/{id} answers the state, the timeline with actors and the evidence status', async () => {
    const created = await quarantineIt();
    const res = await call(request('GET', `/quarantines/${created.json.quarantineId}`));
    expect(res.statusCode).toBe(200);
    expect(res.json.state).toBe('isolated');
    expect(res.json.evidence).toEqual({ status: 'not-started' });
    expect(res.json.timeline.map((a: { step: string }) => a.step)).toEqual(
      expect.arrayContaining(['request', 'network-cut', 'verify']),
    );
    for (const a of res.json.timeline)
      expect(a).toMatchObject({ actor: expect.any(String), at: expect.any(String) });
  });

  it('GET /quarantines/{id} answers 404 for an unknown quarantine', async () => {
    const res = await call(request('GET', '/quarantines/q-00000000-0000-4000-8000-000000000000'));
    expect(res.statusCode).toBe(404);
    expect(res.json.field).toBe('id');
  });

  it('GET /quarantines filters by instance and state and pages with nextToken', async () => {
    // Prepare: three claims on instances that need not exist (the list reads only the ledger).
    const ids = ['i-0000000000000000a', 'i-0000000000000000b', 'i-0000000000000000c'];
    for (const instanceId of ids) {
      await claimQuarantine(
        env.ledger,
        parseQuarantineRequest({
          instance: { instanceId, region: REGION },
          reason: 'seed',
          trigger: { kind: 'api', principalArn: CALLER },
        }),
      );
    }
    // Act: walk the pages one item at a time.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await call(
        request('GET', '/quarantines', {
          query: { state: 'requested', limit: '1', ...(token === undefined ? {} : { nextToken: token }) },
        }),
      );
      expect(res.statusCode).toBe(200);
      seen.push(...res.json.items.map((i: { instance: { instanceId: string } }) => i.instance.instanceId));
      token = res.json.nextToken;
    } while (token !== undefined);
    // Assess
    expect(seen.sort()).toEqual(ids);
    const one = await call(request('GET', '/quarantines', { query: { instanceId: ids[1] ?? '' } }));
    expect(one.json.items.map((i: { instance: { instanceId: string } }) => i.instance.instanceId)).toEqual([
      ids[1],
    ]);
    const none = await call(request('GET', '/quarantines', { query: { state: 'released' } }));
    expect(none.json).toEqual({ items: [] });
  });

  it('POST /quarantines/{id}/release answers 409 before the evidence is sealed without force', async () => {
    const created = await quarantineIt();
    const res = await call(
      request('POST', `/quarantines/${created.json.quarantineId}/release`, {
        body: { reason: 'false positive' },
      }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json.code).toBe('EVIDENCE_NOT_SEALED');
  });

  it('POST /quarantines/{id}/release with force answers 200 and records the caller as the releaser', async () => {
    const created = await quarantineIt();
    const res = await call(
      request('POST', `/quarantines/${created.json.quarantineId}/release`, {
        body: { reason: 'false positive: red-team exercise', force: true },
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json.state).toBe('released');
    const release = res.json.timeline.find((a: { step: string }) => a.step === 'release');
    expect(release).toMatchObject({ actor: CALLER, detail: { reason: 'false positive: red-team exercise' } });
    const instance = await env.clients.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }),
    );
    // The ENI's groups, not the instance's SecurityGroups summary, which moto does not update.
    const enis = instance.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? [];
    expect(enis.map((n) => (n.Groups ?? []).map((g) => g.GroupId))).toEqual([[s.webGroupId]]);
  });

  it('POST /quarantines/{id}/release after the evidence is sealed needs no force', async () => {
    // Prepare: the evidence pipeline has sealed the evidence and recorded where it is.
    const created = await quarantineIt();
    const id: string = created.json.quarantineId;
    const manifest = { key: `evidence/INC-1/${id}/manifest.json`, versionId: 'v1', sha256: 'abc=' };
    const evidence = { bucket: 'sequester-evidence', manifest };
    await updateQuarantine(env.ledger, id, { state: 'evidence_sealed', set: { evidence } });
    const shown = await call(request('GET', `/quarantines/${id}`));
    expect(shown.json.evidence).toEqual({ status: 'sealed', ...evidence });
    // Act
    const res = await call(
      request('POST', `/quarantines/${id}/release`, { body: { reason: 'case closed' } }),
    );
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json.state).toBe('released');
    // The state moved on to released; the evidence stays sealed (issue 12 #20).
    expect(res.json.evidence).toEqual({ status: 'sealed', ...evidence });
  });

  it('POST /quarantines/{id}/release answers 409 for a quarantine already released', async () => {
    const created = await quarantineIt();
    const path = `/quarantines/${created.json.quarantineId}/release`;
    await call(request('POST', path, { body: { reason: 'done', force: true } }));
    const res = await call(request('POST', path, { body: { reason: 'again', force: true } }));
    expect(res.statusCode).toBe(409);
    expect(res.json.code).toBe('NOT_QUARANTINED');
  });

  it('POST /quarantines/{id}/release answers 404 for an unknown quarantine', async () => {
    const res = await call(
      request('POST', '/quarantines/q-00000000-0000-4000-8000-000000000000/release', {
        body: { reason: 'x' },
      }),
    );
    expect(res.statusCode).toBe(404);
  });
});
