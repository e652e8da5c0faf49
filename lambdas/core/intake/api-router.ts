import { InvalidInputError, RefusedError } from '../errors';
import { BodyTooLargeError, HttpApiEvent, type HttpResponse, problem } from './api-http';
import {
  type ApiDeps,
  createQuarantine,
  listRoute,
  type RouteContext,
  releaseRoute,
  showQuarantine,
} from './api-routes';
import { invalidInputFrom } from './zod-field';

type Route = (d: ApiDeps, ctx: RouteContext) => Promise<HttpResponse>;

/** Path shape -> method -> route. `{id}` is the only parameter. */
const ROUTES: ReadonlyArray<{ readonly pattern: RegExp; readonly methods: Readonly<Record<string, Route>> }> =
  [
    { pattern: /^\/quarantines$/, methods: { GET: listRoute, POST: createQuarantine } },
    { pattern: /^\/quarantines\/([^/]+)$/, methods: { GET: showQuarantine } },
    { pattern: /^\/quarantines\/([^/]+)\/release$/, methods: { POST: releaseRoute } },
  ];

/**
 * Routes one HTTP API request. Never throws: bad input is a 400 naming the field, unknown paths 404,
 * wrong methods 405 (with Allow), oversized bodies 413, refusals 409, anything unexpected a 500 whose
 * detail carries only the request id (the error itself goes to the log).
 */
export async function routeApiRequest(d: ApiDeps, input: unknown): Promise<HttpResponse> {
  const parsed = HttpApiEvent.safeParse(input);
  if (!parsed.success) {
    const err = invalidInputFrom(parsed.error.issues, 'event');
    return problem(400, `not an API Gateway HTTP API request: ${err.message}`, { field: err.field });
  }
  const event = parsed.data;
  const stage = event.requestContext.stage;
  // On a named stage (not `$default`) rawPath starts with the stage name.
  const basePath = stage !== undefined && stage !== null && stage !== '$default' ? `/${stage}` : '';
  let path = event.rawPath.startsWith(`${basePath}/`) ? event.rawPath.slice(basePath.length) : event.rawPath;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m !== null);
  if (match === undefined) return problem(404, 'no such resource');
  const method = event.requestContext.http.method.toUpperCase();
  const route = Object.hasOwn(match.r.methods, method) ? match.r.methods[method] : undefined;
  if (route === undefined) {
    return problem(405, `${method} is not allowed here`, {
      headers: { allow: Object.keys(match.r.methods).join(', ') },
    });
  }
  const actor = event.requestContext.authorizer?.iam?.userArn;
  if (actor === undefined || actor === null) {
    return problem(
      403,
      'the request carries no IAM caller identity (the route must use AWS_IAM authorization)',
    );
  }
  const id = match.m?.[1];
  try {
    return await route(d, { event, actor, basePath, ...(id === undefined ? {} : { id }) });
  } catch (err) {
    return errorResponse(d, err, event.requestContext.requestId ?? undefined);
  }
}

function errorResponse(d: ApiDeps, err: unknown, requestId: string | undefined): HttpResponse {
  if (err instanceof BodyTooLargeError) return problem(413, err.message, { field: err.field });
  if (err instanceof InvalidInputError) return problem(400, err.message, { field: err.field });
  if (err instanceof RefusedError) return problem(409, err.message, { code: err.code });
  d.logger?.warn('request failed', {
    requestId,
    error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
  });
  return problem(500, `the request failed; quote request id ${requestId ?? 'unknown'} when reporting it`);
}
