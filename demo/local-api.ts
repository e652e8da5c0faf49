import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { routeApiRequest } from '../lambdas/core/intake/api-router';
import type { ApiDeps } from '../lambdas/core/intake/api-routes';

/** Who the demo's API says is calling: there is no IAM on a laptop. */
export const DEMO_CALLER = 'arn:aws:iam::123456789012:user/demo-on-call';

/**
 * The on-call API for `npm start -- --keep`: the real router (the code behind the deployed HTTP API)
 * on a loopback port, so `sequester status|list|release --api <url>` work against the demo. API Gateway's
 * IAM check does not exist here: every caller is DEMO_CALLER. Never expose this beyond 127.0.0.1.
 */
export async function serveLocalApi(deps: ApiDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void readBody(req)
      .then(async (body) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const out = await routeApiRequest(deps, apiGatewayEvent(req, url, body, { userArn: DEMO_CALLER }));
        res.writeHead(out.statusCode, out.headers);
        res.end(out.body);
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  return listenOnLoopback(server);
}

/**
 * The API Gateway HTTP API (payload 2.0) event for a request, with the caller's IAM identity in the
 * request context as AWS_IAM authorization puts it there.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function apiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  body: string,
  iam: { userArn: string; accessKey?: string },
) {
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: req.headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(body === '' ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      http: { method: req.method ?? 'GET', path: url.pathname },
      stage: '$default',
      requestId: randomUUID(),
      authorizer: { iam },
    },
  };
}

/** Starts the server on a free loopback port. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
