import type { RawRecord } from './record';

/**
 * STS calls whose response carries new credentials: `responseElements.credentials.accessKeyId` is the
 * key every later call made with them shows as `userIdentity.accessKeyId`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export const CREDENTIAL_CALLS: ReadonlySet<string> = new Set([
  'AssumeRole',
  'AssumeRoleWithWebIdentity',
  'AssumeRoleWithSAML',
  'GetFederationToken',
  'GetSessionToken',
]);

/** Credentials one session obtained: an edge of the lineage graph, from the caller's key to the new one. */
export interface CredentialEdge {
  readonly callerAccessKeyId: string | undefined;
  readonly accessKeyId: string;
  readonly arn: string | undefined;
  readonly via: string;
  readonly eventTime: string;
}

/** A derived session in the report: who obtained it, how, when, and how many hops from the instance. */
export interface DerivedSession extends CredentialEdge {
  readonly depth: number;
}

/**
 * The edge a record stands for, if it issued credentials successfully. The new session's ARN is the
 * assumed-role user (AssumeRole*), the federated user (GetFederationToken), or for GetSessionToken,
 * which returns no identity, the caller's own ARN.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
 */
export function edgeOf(r: RawRecord & Record<string, unknown>): CredentialEdge | undefined {
  if (typeof r.eventName !== 'string' || !CREDENTIAL_CALLS.has(r.eventName)) return undefined;
  if (r.errorCode !== undefined && r.errorCode !== null) return undefined;
  const key = r.responseElements?.credentials?.accessKeyId;
  if (typeof key !== 'string' || key === '') return undefined;
  const resp = r.responseElements as Record<string, { arn?: unknown } | undefined>;
  const ident = r.userIdentity as { arn?: unknown; accessKeyId?: unknown } | undefined;
  const arn = resp.assumedRoleUser?.arn ?? resp.federatedUser?.arn ?? ident?.arn;
  const caller = ident?.accessKeyId;
  return {
    callerAccessKeyId: typeof caller === 'string' && caller !== '' ? caller : undefined,
    accessKeyId: key,
    arn: typeof arn === 'string' ? arn : undefined,
    via: r.eventName,
    eventTime: typeof r.eventTime === 'string' ? r.eventTime : '',
  };
}

/**
 * Follows lineage to a fixed point: the credentials the instance session obtained (`roots`), then the
 * credentials each of those obtained (edges keyed by the caller's access key), and so on at any depth.
 * A key is visited once, so a cycle (a role assuming itself) ends.
 */
export function followLineage(
  roots: ReadonlyArray<CredentialEdge>,
  edgesByCaller: ReadonlyMap<string, ReadonlyArray<CredentialEdge>>,
): DerivedSession[] {
  const seen = new Map<string, DerivedSession>();
  let frontier = roots.map((e) => ({ ...e, depth: 1 }));
  while (frontier.length > 0) {
    const next: DerivedSession[] = [];
    for (const s of frontier) {
      if (seen.has(s.accessKeyId)) continue;
      seen.set(s.accessKeyId, s);
      for (const e of edgesByCaller.get(s.accessKeyId) ?? []) next.push({ ...e, depth: s.depth + 1 });
    }
    frontier = next;
  }
  return [...seen.values()].sort((a, b) => a.depth - b.depth || a.eventTime.localeCompare(b.eventTime));
}
