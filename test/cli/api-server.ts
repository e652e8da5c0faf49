import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { apiGatewayEvent, listenOnLoopback, readBody } from '../../demo/local-api';
import type { HttpResponse } from '../../lambdas/core/intake/api-http';
import { LOCAL_ACCOUNT, LOCAL_PREFIX } from '../../local-aws/iam/local-enforcement';
import {
  type LocalCredentials,
  localApiExecutionArn,
  onCallCredentials,
  onCallRoleArn,
} from '../../local-aws/iam/local-roles';
import { evaluate } from '../../policies/evaluation';
import { onCallPolicy } from '../../policies/human-roles';
import type { PolicyDocument } from '../../policies/policy-document';

const LOCAL = { partition: 'aws', accountId: LOCAL_ACCOUNT, region: 'eu-west-1' };
const API_ARN = localApiExecutionArn(LOCAL);
/** A session of the on-call role (stacks/triggers.ts), as API Gateway names the caller. */
export const ON_CALL_SESSION = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${LOCAL_PREFIX}-oncall/on-call`;

interface ApiCaller {
  readonly creds: LocalCredentials;
  readonly userArn: string;
  /** The role whose policy must allow execute-api:Invoke on the route. */
  readonly role: { readonly arn: string; readonly policy: PolicyDocument };
}

/**
 * Who may sign requests: sessions of the on-call role. The test operator's key (LOCAL_CREDENTIALS) is
 * refused like any key without execute-api:Invoke.
 */
const CALLERS: ReadonlyArray<ApiCaller> = [
  {
    creds: onCallCredentials(),
    userArn: ON_CALL_SESSION,
    role: { arn: onCallRoleArn({ context: LOCAL, prefix: LOCAL_PREFIX }), policy: onCallPolicy(API_ARN) },
  },
];

/**
 * API Gateway's IAM authorization of a route: `execute-api:Invoke` on
 * `<api arn>/<stage>/<METHOD>/<path>`, decided by the caller's policies.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
function invokeAllowed(caller: ApiCaller, method: string, path: string): { ok: boolean; resource: string } {
  const resource = `${API_ARN}/$default/${method}${path}`;
  const [result] = evaluate({
    principal: { arn: caller.userArn, accountId: LOCAL_ACCOUNT, roleArn: caller.role.arn },
    identityPolicies: [{ name: 'oncall', document: caller.role.policy }],
    resources: [],
    requests: [{ action: 'execute-api:Invoke', resource, context: { 'aws:SecureTransport': true } }],
  });
  return { ok: result?.decision === 'Allowed', resource };
}

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
      const caller = await signedBy(req, url, body);
      if (caller === undefined) {
        rejected += 1;
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Forbidden: missing or invalid SigV4 signature' }));
        return;
      }
      const invoke = invokeAllowed(caller, req.method ?? 'GET', url.pathname);
      if (!invoke.ok) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            message: `User: ${caller.userArn} is not authorized to perform: execute-api:Invoke on resource: ${invoke.resource}`,
          }),
        );
        return;
      }
      const out = await route(
        apiGatewayEvent(req, url, body, { accessKey: caller.creds.accessKeyId, userArn: caller.userArn }),
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

/** The caller whose key signed the request, when the signature is right. */
async function signedBy(req: IncomingMessage, url: URL, body: string): Promise<ApiCaller | undefined> {
  const m = AUTH.exec(req.headers.authorization ?? '');
  const amzDate = req.headers['x-amz-date'];
  const caller = CALLERS.find((c) => c.creds.accessKeyId === m?.[1]);
  if (m === null || typeof amzDate !== 'string' || caller === undefined) return undefined;
  const signed = (m[4] ?? '').split(';');
  const headers: Record<string, string> = {};
  for (const h of signed) headers[h] = String(req.headers[h] ?? '');
  const iso = amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  const signer = new SignatureV4({
    service: 'execute-api',
    region: m[3] ?? '',
    credentials: caller.creds,
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
  return again.headers.authorization === req.headers.authorization ? caller : undefined;
}
