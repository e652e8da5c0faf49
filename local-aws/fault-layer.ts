import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, RequestHandler } from '@smithy/types';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HttpResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** A fault returned instead of calling the emulator. */
export type Fault =
  | 'throttle'
  | 'server-error'
  | 'reset'
  | 'timeout'
  | { readonly status: number; readonly code: string };

/** One AWS call as the layer saw it: which operation, when it started and ended (ms since layer start). */
export interface CallRecord {
  readonly operation: string;
  readonly start: number;
  readonly end: number;
  readonly fault?: string;
}

/**
 * Responses that create an EC2 resource, and the element naming the new id. Under delayed visibility
 * these ids answer `<Kind>.NotFound` for a while, as AWS may right after a Create.
 * https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 */
const CREATED_IDS: Readonly<Record<string, { readonly tag: string; readonly all: boolean }>> = {
  CreateSecurityGroup: { tag: 'groupId', all: false },
  CreateSnapshot: { tag: 'snapshotId', all: false },
  CreateSnapshots: { tag: 'snapshotId', all: true },
  CreateNetworkInterface: { tag: 'networkInterfaceId', all: false },
};

/** The EC2 error code for an id that is not visible yet, by its prefix. */
export function notFoundCode(id: string): string {
  if (id.startsWith('sg-')) return 'InvalidGroup.NotFound';
  if (id.startsWith('snap-')) return 'InvalidSnapshot.NotFound';
  if (id.startsWith('eni-')) return 'InvalidNetworkInterfaceID.NotFound';
  return 'InvalidID.NotFound';
}

export interface FaultLayerOptions {
  /** Added before every call, to model the real round trip to AWS (moto answers in ~1 ms). */
  readonly latencyMs?: number;
  /**
   * Decides, per call, whether to inject a fault. `n` counts calls of this operation so far (from 1);
   * `params` are the request's query parameters (EC2, IAM, Auto Scaling, ELB), empty for JSON protocols.
   */
  readonly fault?: (operation: string, n: number, params: URLSearchParams) => Fault | undefined;
}

/**
 * The HTTP layer of the SDK clients, wrapped: injects latency and faults (throttling, 5xx, connection
 * resets, timeouts) below the SDK's retry middleware, so the real retry and backoff logic handles them,
 * and records every call for round-trip and call counts. Test and benchmark infrastructure only.
 */
export class FaultLayer implements RequestHandler<HttpRequest, HttpResult['response'], HttpHandlerOptions> {
  private readonly inner = new NodeHttpHandler();
  private readonly t0 = performance.now();
  private readonly counts = new Map<string, number>();
  public readonly calls: CallRecord[] = [];
  public injected = 0;
  /**
   * Delayed visibility (eventual consistency): for this many ms after a Create* response (CREATED_IDS),
   * any request naming the new id (outside filters) answers `<Kind>.NotFound` in the EC2 wire format.
   * 0 turns it off; set it after building a scenario to affect only the code under test.
   */
  public visibilityDelayMs = 0;
  /** Requests answered NotFound because their id was not visible yet. */
  public hidden = 0;
  private readonly invisibleUntil = new Map<string, number>();

  public constructor(private readonly o: FaultLayerOptions = {}) {}

  public async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<HttpResult> {
    const operation = operationOf(request);
    const n = (this.counts.get(operation) ?? 0) + 1;
    this.counts.set(operation, n);
    const start = performance.now() - this.t0;
    if ((this.o.latencyMs ?? 0) > 0) await new Promise((r) => setTimeout(r, this.o.latencyMs));
    const params = paramsOf(request);
    let fault = this.o.fault?.(operation, n, params);
    if (fault !== undefined) this.injected += 1;
    else {
      const unseen = this.notYetVisible(params);
      if (unseen !== undefined) {
        this.hidden += 1;
        fault = { status: 400, code: notFoundCode(unseen) };
      }
    }
    try {
      if (fault !== undefined) return await faultResponse(fault, request);
      const result = await this.inner.handle(request, options);
      const created = CREATED_IDS[operation];
      return created === undefined || this.visibilityDelayMs <= 0
        ? result
        : await this.hideCreated(result, created);
    } finally {
      this.calls.push({
        operation,
        start,
        end: performance.now() - this.t0,
        ...(fault === undefined ? {} : { fault: typeof fault === 'string' ? fault : fault.code }),
      });
    }
  }

  /** The first id named in these parameters that is still invisible, if any. */
  private notYetVisible(params: URLSearchParams): string | undefined {
    if (this.invisibleUntil.size === 0) return undefined;
    const now = this.now();
    for (const [k, v] of params) {
      if (k.startsWith('Filter.')) continue;
      const until = this.invisibleUntil.get(v);
      if (until !== undefined && now < until) return v;
    }
    return undefined;
  }

  /** Reads the created ids out of a Create* response and hides them for visibilityDelayMs. */
  private async hideCreated(
    result: HttpResult,
    created: { readonly tag: string; readonly all: boolean },
  ): Promise<HttpResult> {
    const chunks: Buffer[] = [];
    for await (const c of result.response.body as AsyncIterable<Buffer | string>)
      chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    const body = Buffer.concat(chunks);
    if ((result.response.statusCode ?? 500) < 300) {
      const re = new RegExp(`<${created.tag}>([^<]+)</${created.tag}>`, 'g');
      const ids = [...body.toString('utf8').matchAll(re)].map((m) => m[1] ?? '');
      for (const id of created.all ? ids : ids.slice(0, 1))
        this.invisibleUntil.set(id, this.now() + this.visibilityDelayMs);
    }
    result.response.body = Readable.from([body]);
    return result;
  }

  public updateHttpClientConfig(): void {}
  public httpHandlerConfigs() {
    return {};
  }
  public destroy(): void {
    this.inner.destroy();
  }

  /** The longest chain of calls each starting after the previous ended, among calls ending by `until`. */
  public sequentialRoundTrips(until = Number.POSITIVE_INFINITY): number {
    const calls = this.calls.filter((c) => c.end <= until).sort((a, b) => a.end - b.end);
    const depth: number[] = [];
    calls.forEach((c, i) => {
      let best = 0;
      for (let j = 0; j < i; j += 1) {
        const prev = calls[j];
        if (prev !== undefined && prev.end <= c.start) best = Math.max(best, depth[j] ?? 0);
      }
      depth.push(best + 1);
    });
    return Math.max(0, ...depth);
  }

  /** Milliseconds since the layer was created, on the same clock as the call records. */
  public now(): number {
    return performance.now() - this.t0;
  }
}

/** The API operation of a request: the X-Amz-Target header (JSON protocols) or the Action parameter (query). */
function operationOf(req: HttpRequest): string {
  const target = req.headers['x-amz-target'];
  if (target !== undefined) return target.slice(target.lastIndexOf('.') + 1);
  const action = typeof req.query?.Action === 'string' ? req.query.Action : undefined;
  if (action !== undefined) return action;
  if (typeof req.body === 'string') {
    const m = /(?:^|&)Action=([A-Za-z0-9]+)/.exec(req.body);
    if (m?.[1] !== undefined) return m[1];
  }
  return `${req.method} ${req.hostname}${req.path}`;
}

/** The query parameters of a query-protocol request (form body or URL query). */
export function paramsOf(req: HttpRequest): URLSearchParams {
  if (typeof req.body === 'string' && req.headers['x-amz-target'] === undefined)
    return new URLSearchParams(req.body);
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (typeof v === 'string') out.set(k, v);
  return out;
}

async function faultResponse(fault: Fault, req: HttpRequest): Promise<HttpResult> {
  if (fault === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  if (fault === 'timeout') throw Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
  const { status, code } =
    fault === 'throttle'
      ? {
          status: 400,
          code: req.headers['x-amz-target'] === undefined ? 'Throttling' : 'ThrottlingException',
        }
      : fault === 'server-error'
        ? { status: 500, code: 'InternalError' }
        : fault;
  const json = req.headers['x-amz-target'] !== undefined;
  const body = json
    ? JSON.stringify({ __type: code, message: 'injected fault' })
    : `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>injected fault</Message></Error></Errors><RequestID>fault</RequestID></Response>`;
  return {
    response: {
      statusCode: status,
      reason: code,
      headers: {
        'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml',
        'x-amzn-requestid': 'fault',
      },
      body: Readable.from([Buffer.from(body)]),
    },
  } as unknown as HttpResult;
}
