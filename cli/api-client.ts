import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { InvalidInputError } from '../lambdas/core/errors';
import type { CliContext } from './context';
import { ApiError } from './errors';

/**
 * The on-call HTTP API (API Gateway, AWS_IAM authorization). Every request is signed with SigV4 for the
 * `execute-api` service with credentials from the standard chain (or --profile).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
 */
export interface ApiClient {
  request<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse<T>>;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly location?: string;
}

/** `--api`, else SEQUESTER_API_URL: the stack's `apiUrl` output. */
export function resolveApiUrl(flag: string | undefined): URL {
  const raw = flag ?? process.env.SEQUESTER_API_URL;
  if (raw === undefined || raw === '')
    throw new InvalidInputError('--api: no API URL; pass --api or set SEQUESTER_API_URL', '--api');
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    return url;
  } catch {
    throw new InvalidInputError(`--api: must be an http(s) URL (got "${raw.slice(0, 80)}")`, '--api');
  }
}

/** execute-api hosts name their region: <id>.execute-api.<region>.amazonaws.com. */
function regionOfHost(host: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(host)?.[1];
}

export function createApiClient(ctx: CliContext, apiFlag: string | undefined): ApiClient {
  const base = resolveApiUrl(apiFlag);
  return {
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse<T>> {
      const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
      const region = regionOfHost(url.hostname) ?? (await ctx.region());
      const signer = new SignatureV4({
        service: 'execute-api',
        region,
        credentials: ctx.credentials,
        sha256: Sha256,
      });
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => {
        query[k] = v;
      });
      const signed = await signer.sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers: {
          host: url.host,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body: payload }),
      });
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: signed.headers,
          ...(payload === undefined ? {} : { body: payload }),
        });
      } catch (err) {
        throw new ApiError(
          `cannot reach the API at ${url.origin}: ${(err as Error).cause ?? (err as Error).message}`,
          0,
        );
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text for the error message
      }
      if (!res.ok) throw new ApiError(problemMessage(res.status, parsed), res.status);
      const location = res.headers.get('location') ?? undefined;
      return { status: res.status, body: parsed as T, ...(location === undefined ? {} : { location }) };
    },
  };
}

/** application/problem+json: title, detail and the field that failed, in one line. */
function problemMessage(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const p = body as Record<string, unknown>;
    const text = [p.detail, p.title, p.message].find((x) => typeof x === 'string') as string | undefined;
    // 400s name the bad field; say it first unless the detail already does.
    const named = typeof p.field === 'string' && status === 400 && text?.startsWith(p.field) !== true;
    const field = named ? `${p.field}: ` : '';
    if (text !== undefined) return `API ${status}: ${field}${text}`;
  }
  const raw = typeof body === 'string' ? body.slice(0, 200) : '';
  return `API ${status}${raw === '' ? '' : `: ${raw}`}`;
}
