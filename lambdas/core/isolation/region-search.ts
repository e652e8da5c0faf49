import type { IsolationClients } from '../clients';
import { awsErrorName, RefusedError } from '../errors';
import type { InstanceRef } from '../ledger/record';
import type { QuarantineRequest } from '../schemas/quarantine-request';
import { describeTarget, type TargetInstance } from './target-instance';

/** Where else to look for an instance a credential-exfiltration finding names (handlers/isolate.ts). */
export interface RegionSearch {
  /** The deployment's covered Regions (stack config: the home Region and memberRegions). */
  readonly regions: ReadonlyArray<string>;
  /** Clients in the instance's account and the given Region (a member account's role there). */
  readonly clientsFor: (instance: InstanceRef) => IsolationClients | Promise<IsolationClients>;
}

/** What one Region said about the instance, when it was not the one holding it. Recorded in the ledger. */
export interface RegionLookup {
  readonly region: string;
  /**
   * `not-found`: DescribeInstances answered InvalidInstanceID.NotFound. `denied` and `unavailable`: the
   * call could not be made there, so the instance may be there (see classifyLookupError). `failed`: any
   * other error, recorded only when the instance was found elsewhere.
   */
  readonly result: 'not-found' | 'denied' | 'unavailable' | 'failed';
  readonly code?: string;
}

export type Described = { ok: true; t: TargetInstance } | { ok: false; e: unknown };

export type SearchResult =
  | {
      readonly status: 'found';
      readonly region: string;
      readonly clients: IsolationClients;
      /** The instance as found there (a refusal when it is terminated: it exists, but nothing is left). */
      readonly described: Described;
      readonly searched: ReadonlyArray<RegionLookup>;
    }
  | { readonly status: 'not-found'; readonly searched: ReadonlyArray<RegionLookup> };

/**
 * Error codes meaning the call could not be made in that Region, so nothing is learnt there: IAM denied
 * it (EC2 UnauthorizedOperation; STS AccessDenied when the member role cannot be assumed), the
 * credentials could not be validated there or the account is not subscribed (EC2 AuthFailure,
 * OptInRequired), or STS is not activated in the Region (RegionDisabledException).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_Errors
 */
const DENIED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
const UNAVAILABLE = new Set(['AuthFailure', 'OptInRequired', 'RegionDisabledException']);

/** `denied` or `unavailable` for the codes above; undefined for any other error (not to be concluded from). */
export function classifyLookupError(err: unknown): RegionLookup['result'] | undefined {
  const code = awsErrorName(err) ?? '';
  if (DENIED.has(code)) return 'denied';
  if (UNAVAILABLE.has(code)) return 'unavailable';
  return undefined;
}

type Probe =
  | { readonly region: string; readonly kind: 'found'; readonly clients: IsolationClients; d: Described }
  | { readonly region: string; readonly kind: 'lookup'; readonly lookup: RegionLookup }
  | { readonly region: string; readonly kind: 'error'; readonly err: unknown };

/**
 * Looks for the request's instance in every covered Region but the request's own, in parallel. An EC2
 * instance id is tied to its Region and can be used only there, so the Region whose DescribeInstances
 * knows the id is the instance's Region.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resources.html
 *
 * Denied and unavailable Regions are recorded, never fatal. Any other error is thrown unless the
 * instance was found elsewhere: "not found" must not be concluded from a Region that could not answer.
 */
export async function searchRegions(search: RegionSearch, req: QuarantineRequest): Promise<SearchResult> {
  const home = req.instance.region;
  const regions = [...new Set(search.regions)].filter((r) => r !== home);
  const probes = await Promise.all(regions.map((region) => probe(search, req, region)));
  // Every Region asked but the one that has the instance.
  const lookups = probes.flatMap((p): RegionLookup[] =>
    p.kind === 'lookup'
      ? [p.lookup]
      : p.kind === 'error'
        ? [{ region: p.region, result: 'failed', code: awsErrorName(p.err) ?? 'Error' }]
        : [],
  );
  const found = probes.find((p) => p.kind === 'found');
  if (found?.kind === 'found')
    return {
      status: 'found',
      region: found.region,
      clients: found.clients,
      described: found.d,
      searched: lookups,
    };
  const failed = probes.find((p) => p.kind === 'error');
  if (failed?.kind === 'error') throw failed.err;
  return { status: 'not-found', searched: lookups };
}

async function probe(search: RegionSearch, req: QuarantineRequest, region: string): Promise<Probe> {
  const instance = { ...req.instance, region };
  try {
    const clients = await search.clientsFor(instance);
    try {
      return {
        region,
        kind: 'found',
        clients,
        d: { ok: true, t: await describeTarget(clients.ec2, { ...req, instance }) },
      };
    } catch (err) {
      if (!(err instanceof RefusedError)) throw err;
      if (err.code === 'NOT_FOUND')
        return { region, kind: 'lookup', lookup: { region, result: 'not-found' } };
      return { region, kind: 'found', clients, d: { ok: false, e: err } };
    }
  } catch (err) {
    const result = classifyLookupError(err);
    if (result === undefined) return { region, kind: 'error', err };
    return { region, kind: 'lookup', lookup: { region, result, code: awsErrorName(err) ?? 'Error' } };
  }
}
