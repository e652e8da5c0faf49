import * as z from 'zod/mini';
import { InvalidInputError } from '../errors';

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) event the router reads. Loose: API Gateway
 * sends many more fields. With AWS_IAM authorization the caller's identity is in
 * `requestContext.authorizer.iam`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 *
 * @example
 * {
 *   "version": "2.0", "routeKey": "$default", "rawPath": "/quarantines", "rawQueryString": "",
 *   "headers": { "content-type": "application/json" },
 *   "requestContext": {
 *     "http": { "method": "POST", "path": "/quarantines" }, "stage": "$default", "requestId": "JKJaXmPLvHcESHA=",
 *     "authorizer": { "iam": { "userArn": "arn:aws:sts::123456789012:assumed-role/on-call/alice" } }
 *   },
 *   "body": "{\"instanceId\":\"i-0abc1234def567890\",\"reason\":\"C2 beaconing\"}", "isBase64Encoded": false
 * }
 */
export const HttpApiEvent = z.looseObject({
  rawPath: z.string().check(z.maxLength(2048)),
  queryStringParameters: z.nullish(z.record(z.string(), z.string())),
  body: z.nullish(z.string()),
  isBase64Encoded: z.nullish(z.boolean()),
  requestContext: z.looseObject({
    http: z.looseObject({ method: z.string().check(z.maxLength(16)) }),
    stage: z.nullish(z.string().check(z.maxLength(128))),
    requestId: z.nullish(z.string().check(z.maxLength(256))),
    authorizer: z.nullish(
      z.looseObject({
        iam: z.nullish(
          z.looseObject({ userArn: z.nullish(z.string().check(z.minLength(1), z.maxLength(2048))) }),
        ),
      }),
    ),
  }),
});
export type HttpApiEvent = z.infer<typeof HttpApiEvent>;

/** What the Lambda returns to API Gateway (payload format 2.0). */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  500: 'Internal Server Error',
};

/**
 * An RFC 9457 problem document. `field` (an extension member) names the input that failed, so a
 * client can point at it. https://www.rfc-editor.org/rfc/rfc9457
 */
export function problem(
  status: number,
  detail: string,
  extra: { field?: string; code?: string; headers?: Record<string, string> } = {},
): HttpResponse {
  const { headers = {}, ...members } = extra;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({
      type: 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      ...members,
    }),
  };
}

/** API Gateway's own payload limit is 10 MB; on-call requests are tiny, so anything larger is refused. */
export const MAX_BODY_BYTES = 16 * 1024;

export class BodyTooLargeError extends InvalidInputError {
  public constructor(bytes: number) {
    super(`body is ${bytes} bytes; at most ${MAX_BODY_BYTES} are accepted`, '(body)');
    this.name = 'BodyTooLargeError';
  }
}

/** Decodes and parses a JSON object body. Throws InvalidInputError (field `(body)`) or BodyTooLargeError. */
export function jsonBody(e: HttpApiEvent): unknown {
  const raw = e.body ?? '';
  const buf = e.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (buf.byteLength > MAX_BODY_BYTES) throw new BodyTooLargeError(buf.byteLength);
  if (buf.byteLength === 0) throw new InvalidInputError('(body): a JSON object is required', '(body)');
  let doc: unknown;
  try {
    doc = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new InvalidInputError('(body): is not valid JSON', '(body)', { cause: err });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new InvalidInputError('(body): must be a JSON object', '(body)');
  return doc;
}
