import { type CredentialEdge, edgeOf } from './lineage';
import type { RawRecord } from './record';

/** The window in epoch milliseconds, both ends inclusive. */
export interface WindowMs {
  readonly since: number;
  readonly until: number;
}

/**
 * What the first pass over a trail keeps: the instance session's own records (by principal id, whatever
 * key it used: instance credentials rotate), every credential-issuing edge keyed by the caller's key
 * (small: one per STS call), and the records of derived keys already known when they are seen (files
 * are read roughly in time order, and credentials are issued before they are used). For a key not yet
 * known, only the files it appears in are noted, so the second pass re-reads just the files where a
 * derived key was used before its grant was seen. Everything else is dropped as soon as it is seen,
 * which keeps memory flat however large the trail.
 */
export class TrailScan {
  public readonly direct: Array<Record<string, unknown>> = [];
  /** Records made with a derived key known at the time, with the index of their file. */
  public readonly derived: Array<{ readonly record: Record<string, unknown>; readonly file: number }> = [];
  public readonly edgesByCaller = new Map<string, CredentialEdge[]>();
  public readonly filesByKey = new Map<string, number[]>();
  private readonly known = new Set<string>();
  public recordsInWindow = 0;
  /** Data events (S3 object calls and the like) seen anywhere in the trail: whether the trail logs them. */
  public dataEvents = 0;

  public constructor(
    private readonly principalId: string,
    private readonly window: WindowMs,
  ) {}

  /** A key is derived: so are the keys it already obtained. */
  private learn(key: string): void {
    if (this.known.has(key)) return;
    this.known.add(key);
    for (const e of this.edgesByCaller.get(key) ?? []) this.learn(e.accessKeyId);
  }

  /** Scans one file's records (already parsed); `fileIndex` names the file for the second pass. */
  public add(records: ReadonlyArray<unknown>, fileIndex: number): void {
    for (const rec of records) {
      if (rec === null || typeof rec !== 'object') continue;
      const r = rec as RawRecord & Record<string, unknown>;
      if (!inWindow(r.eventTime, this.window)) continue;
      this.recordsInWindow += 1;
      // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
      // (eventCategory "Data"; managementEvent false for data events)
      if (r.eventCategory === 'Data' || r.managementEvent === false) this.dataEvents += 1;
      const who = r.userIdentity;
      if (who === null || who === undefined) continue;
      const key = typeof who.accessKeyId === 'string' && who.accessKeyId !== '' ? who.accessKeyId : undefined;
      const isDirect = who.principalId === this.principalId;
      if (isDirect) this.direct.push(r);
      else if (key !== undefined && this.known.has(key)) this.derived.push({ record: r, file: fileIndex });
      else if (key !== undefined) {
        const files = this.filesByKey.get(key);
        if (files === undefined) this.filesByKey.set(key, [fileIndex]);
        else if (files[files.length - 1] !== fileIndex) files.push(fileIndex);
      }
      const edge = edgeOf(r);
      if (edge === undefined) continue;
      if (edge.callerAccessKeyId !== undefined) {
        const list = this.edgesByCaller.get(edge.callerAccessKeyId);
        if (list === undefined) this.edgesByCaller.set(edge.callerAccessKeyId, [edge]);
        else list.push(edge);
      }
      if (isDirect || (key !== undefined && this.known.has(key))) this.learn(edge.accessKeyId);
    }
  }
}

/** `2026-11-30T01:02:03Z`: the form CloudTrail writes `eventTime` in (UTC, whole seconds). */
const SECONDS_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const bounds = new WeakMap<WindowMs, { since: string; until: string }>();
const secondsOf = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Whether an event time falls in the window (both ends inclusive). Times in CloudTrail's own form compare
 * as strings against the window rounded inwards to whole seconds (no Date.parse per record: the scan's
 * hot path); any other spelling is parsed.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export function inWindow(eventTime: unknown, w: WindowMs): boolean {
  if (typeof eventTime !== 'string') return false;
  let b = bounds.get(w);
  if (b === undefined) {
    b = {
      since: secondsOf(Math.ceil(w.since / 1000) * 1000),
      until: secondsOf(Math.floor(w.until / 1000) * 1000),
    };
    bounds.set(w, b);
  }
  if (eventTime.length === 20 && SECONDS_FORM.test(eventTime))
    return eventTime >= b.since && eventTime <= b.until;
  const t = Date.parse(eventTime);
  return t >= w.since && t <= w.until;
}

/** The second pass: records made with any of the derived keys (by another principal than the instance). */
export function derivedRecords(
  records: ReadonlyArray<unknown>,
  keys: ReadonlySet<string>,
  principalId: string,
  window: WindowMs,
): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const rec of records) {
    if (rec === null || typeof rec !== 'object') continue;
    const r = rec as RawRecord & Record<string, unknown>;
    const who = r.userIdentity;
    if (who === null || who === undefined || who.principalId === principalId) continue;
    if (typeof who.accessKeyId === 'string' && keys.has(who.accessKeyId) && inWindow(r.eventTime, window)) {
      out.push(r);
    }
  }
  return out;
}
