import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decide } from './decide';
import { accessDenied, deniedMessage, type Reply, unknownOperation } from './denials';
import { EmulatorFacts } from './facts';
import { type Check, operationAuth } from './operations';
import type { Principal, Principals } from './principals';
import { shapeS3Read } from './s3-responses';
import { type Call, type Caller, callerOf, callOf, type WireRequest } from './wire';

/** One refused call, as the enforcer answered it. */
export interface Denial {
  readonly principal: string;
  readonly operation: string;
  readonly action: string;
  readonly resource: string;
}

export interface Enforcer {
  /** The endpoint to give SDK clients instead of moto's. */
  readonly endpoint: string;
  /** The emulator behind it (harness lookups go there directly, unchecked). */
  readonly target: string;
  readonly principals: Principals;
  readonly denials: ReadonlyArray<Denial>;
  stop(): Promise<void>;
}

const JSON_SERVICES = new Set([
  'dynamodb',
  'states',
  'cloudtrail',
  'kms',
  'events',
  'secretsmanager',
  'ssm',
  'organizations',
  'logs',
]);
/** Operations that change what the resource-policy cache holds. */
const POLICY_WRITES = /^(PutBucketPolicy|DeleteBucketPolicy|PutBucketEncryption|PutKeyPolicy)$/;

/**
 * The IAM-enforcing local AWS: an HTTP layer in front of moto (which enforces no IAM) that authorizes
 * each request the way AWS does before moto sees it. The caller is the access key of the SigV4
 * signature; the operation's IAM checks come from the table in operations/; the decision from the IAM
 * evaluator over the caller's role policies and the resources' policies. Refusals are answered in the
 * service's own wire format; operations the table does not know are refused with a 501. Test and demo
 * harness only: production code runs unchanged against it.
 */
export async function startEnforcer(target: string, principals: Principals): Promise<Enforcer> {
  const facts = new EmulatorFacts(target);
  const denials: Denial[] = [];
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (process.env.SEQUESTER_ENFORCER_LOG !== undefined)
        process.stderr.write(`enforcer: error ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`enforcer error: ${err instanceof Error ? err.stack : String(err)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://local');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const wire: WireRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
    };
    if (url.pathname.startsWith('/moto-api')) {
      if (url.pathname.startsWith('/moto-api/reset')) facts.clear();
      return forward(req, body, res);
    }
    await principals.ready();
    const caller = callerOf(wire);
    const who = caller === undefined ? undefined : principals.of(caller.accessKeyId);
    if (caller === undefined || who === undefined)
      return send(
        res,
        accessDenied(
          caller?.service ?? 's3',
          wire.method,
          'The request is not signed with a known access key.',
          headers['x-amz-target'] !== undefined,
        ),
      );
    const call = callOf(wire, caller);
    if (POLICY_WRITES.test(call.operation)) facts.clear();
    if (who.kind === 'admin')
      return forward(req, body, res, (reply) => {
        bindAssumed(call, reply, 'admin');
        return undefined;
      });
    const auth = operationAuth(caller.service, call.operation);
    if (auth === undefined) {
      if (process.env.SEQUESTER_ENFORCER_LOG !== undefined)
        process.stderr.write(`enforcer: unknown operation ${caller.service}:${call.operation}\n`);
      return send(res, unknownOperation(caller.service, call.operation));
    }
    const f = facts.forCaller(caller.accessKeyId, who.accountId, caller.region, who.arn.split(':')[1]);
    const checks = await auth.checks(call, f);
    const verdict = await decide(who, checks, caller.region, caller.accessKeyId, facts, principals);
    if (verdict.refused !== undefined)
      return send(
        res,
        denial(who, call, caller, verdict.refused.check, verdict.refused.explicit, wire.method),
      );
    const can = async (c: Check) =>
      (await decide(who, [c], caller.region, caller.accessKeyId, facts, principals)).allowed;
    return forward(req, body, res, async (reply) => {
      if (caller.service === 's3') {
        const shaped = await shapeS3Read(call, reply, can, f);
        if ('deny' in shaped) return denial(who, call, caller, shaped.deny, false, wire.method);
      }
      bindAssumed(call, reply, who);
      return callerIdentity(call, reply, who);
    });
  }

  /**
   * GetCallerIdentity of a session the harness bound to a key (a Lambda, the reviewer): AWS names the
   * role session, moto (which never saw the key issued) its default user. The ledger records this ARN.
   * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
   */
  function callerIdentity(call: Call, reply: Captured, who: Principal): Reply | undefined {
    if (call.operation !== 'GetCallerIdentity' || reply.status !== 200) return undefined;
    const body = reply.body
      .toString('utf8')
      .replace(/<Arn>[^<]*<\/Arn>/, `<Arn>${who.arn}</Arn>`)
      .replace(/<Account>[^<]*<\/Account>/, `<Account>${who.accountId}</Account>`);
    return { status: 200, headers: { 'content-type': 'text/xml' }, body };
  }

  function denial(
    who: Principal,
    call: Call,
    caller: Caller,
    check: Check,
    explicit: boolean,
    method: string,
  ): Reply {
    const d = {
      principal: who.arn,
      operation: `${caller.service}:${call.operation}`,
      action: check.action,
      resource: check.resource,
    };
    denials.push(d);
    if (process.env.SEQUESTER_ENFORCER_LOG !== undefined)
      process.stderr.write(`enforcer: AccessDenied ${JSON.stringify(d)}\n`);
    return accessDenied(
      caller.service,
      method,
      deniedMessage(who.arn, check.action, check.resource, explicit),
      JSON_SERVICES.has(caller.service),
    );
  }

  /** AssumeRole answered: the new temporary key belongs to a session of the assumed role. */
  function bindAssumed(call: Call, reply: Captured, who: Principal | 'admin'): void {
    if (call.operation !== 'AssumeRole' || reply.status !== 200) return;
    const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(reply.body.toString('utf8'))?.[1];
    if (key === undefined) return;
    if (who === 'admin') principals.admin(key);
    else
      principals.bindKey(key, call.form.get('RoleArn') ?? '', call.form.get('RoleSessionName') ?? 'session');
  }

  /** Sends the request to moto; `inspect` may replace the answer (a refusal) before the caller sees it. */
  function forward(
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    inspect?: (reply: Captured) => Promise<Reply | undefined> | Reply | undefined,
  ): Promise<void> {
    const to = new URL(target);
    return new Promise((resolve, reject) => {
      const out = request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (up) => {
          void readAll(up)
            .then(async (upBody) => {
              const reply: Captured = {
                status: up.statusCode ?? 502,
                headers: { ...up.headers },
                body: upBody,
              };
              const replaced = inspect === undefined ? undefined : await inspect(reply);
              if (replaced) send(res, replaced);
              else {
                res.writeHead(reply.status, reply.headers);
                res.end(upBody);
              }
              resolve();
            })
            .catch(reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    target,
    principals,
    denials,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Captured {
  status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function send(res: ServerResponse, r: Reply): void {
  res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
  res.end(r.body);
}

function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
}
