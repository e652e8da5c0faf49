import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { apiGatewayEvent, listenOnLoopback, readBody } from '../../demo/local-api';
import type { HttpResponse } from '../../lambdas/core/intake/api-http';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';

/** The IAM identity API Gateway would put in the request context for the test's access key. */
export const CALLER_ARN = 'arn:aws:iam::123456789012:user/on-call-test';

export interface LocalApi {
  readonly url: string;
  /** Requests refused because their SigV4 signature was missing or wrong. */
  readonly rejected: number;
  close(): Promise<void>;
}

/**
 * A stand-in for API Gateway in front of the on-call API: it checks each request's SigV4 signature
 * (service execute-api) by signing the same request again with the test credentials, as AWS_IAM
 * authorization does, then hands the router a payload-2.0 event with the caller's IAM identity.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export async function startLocalApi(route: (event: unknown) => Promise<HttpResponse>): Promise<LocalApi> {
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://local');
      if (!(await signatureValid(req, url, body))) {
        rejected += 1;
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Forbidden: missing or invalid SigV4 signature' }));
        return;
      }
      const out = await route(
        apiGatewayEvent(req, url, body, { accessKey: LOCAL_CREDENTIALS.accessKeyId, userArn: CALLER_ARN }),
      );
      res.writeHead(out.statusCode, out.headers);
      res.end(out.body);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    get rejected() {
      return rejected;
    },
    close,
  };
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

async function signatureValid(req: IncomingMessage, url: URL, body: string): Promise<boolean> {
  const m = AUTH.exec(req.headers.authorization ?? '');
  const amzDate = req.headers['x-amz-date'];
  if (m === null || typeof amzDate !== 'string' || m[1] !== LOCAL_CREDENTIALS.accessKeyId) return false;
  const signed = (m[4] ?? '').split(';');
  const headers: Record<string, string> = {};
  for (const h of signed) headers[h] = String(req.headers[h] ?? '');
  const iso = amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  const signer = new SignatureV4({
    service: 'execute-api',
    region: m[3] ?? '',
    credentials: LOCAL_CREDENTIALS,
    sha256: Sha256,
  });
  const again = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(body === '' ? {} : { body }),
    },
    { signingDate: new Date(iso) },
  );
  return again.headers.authorization === req.headers.authorization;
}
