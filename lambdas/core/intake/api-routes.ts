import type * as z from 'zod/mini';
import type { LedgerClients } from '../clients';
import { InvalidInputError, LedgerError } from '../errors';
import type { EngineConfig } from '../isolation/engine-config';
import { planIsolation } from '../isolation/plan';
import { release } from '../isolation/release';
import { claimQuarantine, getQuarantine } from '../ledger/ledger';
import { QuarantineId } from '../schemas/ids';
import { parseQuarantineRequest } from '../schemas/quarantine-request';
import { type HttpApiEvent, type HttpResponse, json, jsonBody, problem } from './api-http';
import { ListParams, QuarantineBody, ReleaseBody } from './api-schemas';
import type { IsolationClientsFor } from './in-process-starter';
import type { IntakeConfig } from './intake-config';
import type { IntakeLogger } from './intake-finding';
import { startIfNeeded } from './intake-finding';
import { listQuarantines } from './ledger-queries';
import { quarantineSummary, quarantineView } from './quarantine-view';
import type { WorkflowStarter } from './workflow-starter';
import { invalidInputFrom } from './zod-field';

export interface ApiDeps {
  readonly ledger: LedgerClients;
  readonly starter: WorkflowStarter;
  readonly clientsFor: IsolationClientsFor;
  readonly engine: EngineConfig;
  /** Region of an instance whose request names none: the API's own. */
  readonly defaultRegion: string;
  /**
   * Where this deployment can act: the intake config's accounts and regions (its own account and the
   * member accounts). Absent: anywhere. A request outside is refused before anything is claimed, so a
   * mistyped account id is a 400 naming the field, not a failed quarantine after a denied AssumeRole.
   */
  readonly scope?: Pick<IntakeConfig, 'accounts' | 'regions'>;
  readonly logger?: IntakeLogger;
}

function assertInScope(
  scope: ApiDeps['scope'],
  instance: { region: string; accountId?: string | undefined },
) {
  const { accounts, regions } = scope ?? {};
  if (instance.accountId !== undefined && accounts !== undefined && !accounts.includes(instance.accountId))
    throw new InvalidInputError(
      `accountId: ${instance.accountId} is not an account this deployment acts in (${accounts.join(', ')})`,
      'accountId',
    );
  if (regions !== undefined && !regions.includes(instance.region))
    throw new InvalidInputError(
      `region: ${instance.region} is not a region this deployment acts in (${regions.join(', ')})`,
      'region',
    );
}

/** One matched request: the caller's IAM identity, path parameters and the stage prefix for links. */
export interface RouteContext {
  readonly event: HttpApiEvent;
  readonly actor: string;
  readonly id?: string;
  readonly basePath: string;
}

function parseWith<S extends z.ZodMiniType>(schema: S, v: unknown): z.output<S> {
  const r = schema.safeParse(v);
  if (!r.success) throw invalidInputFrom(r.error.issues);
  return r.data;
}

function quarantineIdOf(ctx: RouteContext): string {
  const r = QuarantineId.safeParse(ctx.id);
  if (!r.success) throw new InvalidInputError(`id: ${r.error.issues[0]?.message ?? 'is invalid'}`, 'id');
  return r.data;
}

/** POST /quarantines: 202 + Location for a new quarantine, 200 with the one already holding the instance. */
export async function createQuarantine(d: ApiDeps, ctx: RouteContext): Promise<HttpResponse> {
  const body = parseWith(QuarantineBody, jsonBody(ctx.event));
  const req = parseQuarantineRequest({
    instance: {
      instanceId: body.instanceId,
      region: body.region ?? d.defaultRegion,
      ...(body.accountId === undefined ? {} : { accountId: body.accountId }),
    },
    reason: body.reason,
    ...(body.incidentId === undefined ? {} : { incidentId: body.incidentId }),
    trigger: { kind: 'api', principalArn: ctx.actor },
    options: {
      dryRun: body.dryRun ?? false,
      stopInstance: body.stopInstance ?? false,
      forensicCidrs: body.forensicCidrs ?? [],
      ...(body.overrideExemption === undefined ? {} : { overrideExemption: body.overrideExemption }),
    },
  });
  assertInScope(d.scope, req.instance);
  if (req.options.dryRun) {
    const plan = await planIsolation(await d.clientsFor(req.instance), req, d.engine);
    return json(200, { dryRun: true, plan });
  }
  const claim = await claimQuarantine(d.ledger, req);
  await startIfNeeded(d.starter, claim.record, claim.created);
  // Read back: with the in-process starter the record has moved on; with Step Functions it has not yet.
  const rec = (await getQuarantine(d.ledger, claim.record.quarantineId)) ?? claim.record;
  const view = quarantineView(rec, ctx.basePath);
  d.logger?.info(claim.created ? 'quarantine requested' : 'request joined quarantine', {
    quarantineId: rec.quarantineId,
    actor: ctx.actor,
    instance: rec.instance,
  });
  return claim.created ? json(202, view, { location: view.links.self }) : json(200, view);
}

/** GET /quarantines/{id} */
export async function showQuarantine(d: ApiDeps, ctx: RouteContext): Promise<HttpResponse> {
  const id = quarantineIdOf(ctx);
  const rec = await getQuarantine(d.ledger, id);
  if (rec === undefined) return problem(404, `quarantine ${id} not found`, { field: 'id' });
  return json(200, quarantineView(rec, ctx.basePath));
}

/** GET /quarantines?instanceId=&state=&limit=&nextToken= */
export async function listRoute(d: ApiDeps, ctx: RouteContext): Promise<HttpResponse> {
  const p = parseWith(ListParams, ctx.event.queryStringParameters ?? {});
  const page = await listQuarantines(d.ledger, {
    limit: p.limit ?? 25,
    ...(p.instanceId === undefined ? {} : { instanceId: p.instanceId }),
    ...(p.state === undefined ? {} : { state: p.state }),
    ...(p.nextToken === undefined ? {} : { nextToken: p.nextToken }),
  });
  return json(200, {
    items: page.items.map((r) => quarantineSummary(r, ctx.basePath)),
    ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
  });
}

/** POST /quarantines/{id}/release: the caller is recorded as the actor of the release. */
export async function releaseRoute(d: ApiDeps, ctx: RouteContext): Promise<HttpResponse> {
  const id = quarantineIdOf(ctx);
  const body = parseWith(ReleaseBody, jsonBody(ctx.event));
  const rec = await getQuarantine(d.ledger, id);
  if (rec === undefined) return problem(404, `quarantine ${id} not found`, { field: 'id' });
  try {
    const done = await release(await d.clientsFor(rec.instance), d.ledger, {
      quarantineId: id,
      reason: body.reason,
      actor: ctx.actor,
      force: body.force ?? false,
      reattach: body.reattach ?? false,
    });
    d.logger?.info('quarantine released', { quarantineId: id, actor: ctx.actor, force: body.force ?? false });
    return json(200, quarantineView(done, ctx.basePath));
  } catch (err) {
    // A release that raced another state change: the ledger condition refused it, nothing was undone.
    if (err instanceof LedgerError) return problem(409, err.message, { code: 'STATE_CHANGED' });
    throw err;
  }
}
