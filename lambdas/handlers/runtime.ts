import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import * as z from 'zod/mini';
import {
  createIsolationClients,
  createLedgerClients,
  type IsolationClients,
  type LedgerClients,
} from '../core/clients';
import { parseOrThrow } from '../core/errors';
import type { EngineConfig } from '../core/isolation/engine-config';
import { partitionOf } from '../core/isolation/target-instance';
import { coveredRegionsFrom } from './env-list';
import { LedgerEnv } from './ledger-env';

/**
 * The responder Lambdas' environment, validated once at module load so a misconfigured deployment
 * fails on its first invocation with the name of the bad variable.
 *
 * @example { "AWS_REGION": "eu-west-1", "LEDGER_TABLE": "sequester-ledger", "MEMBER_ROLE_NAME": "sequester-member" }
 */
export const RuntimeEnv = z.extend(LedgerEnv, {
  EXEMPTION_TAG_KEY: z._default(z.string().check(z.minLength(1)), 'sequester:exempt'),
  /** Role assumed in member accounts (the MemberAccess stack). */
  MEMBER_ROLE_NAME: z._default(z.string().check(z.minLength(1)), 'sequester-member-access'),
  /**
   * The deployment's covered Regions, comma-separated (stacks/handler-environment.ts gives them to the
   * isolate task, which looks there for an instance a credential-exfiltration finding's Region lacks).
   * Empty: the home Region only.
   */
  COVERED_REGIONS: z.optional(z.string()),
  /** Local emulator endpoint; unset on AWS. The SDK also honours AWS_ENDPOINT_URL on its own. */
  AWS_ENDPOINT_URL: z.optional(z.url()),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;

export const readEnv = (env: NodeJS.ProcessEnv = process.env): RuntimeEnv => parseOrThrow(RuntimeEnv, env);

/**
 * Clients built once per container and reused across invocations. Isolation clients are per
 * (account, region): an instance in a member account is reached through the MemberAccess role there.
 */
export class Runtime {
  private readonly isolation = new Map<string, IsolationClients>();
  private ownAccount?: Promise<string>;
  public readonly ledger: LedgerClients;
  public readonly engine: EngineConfig;

  public constructor(public readonly env: RuntimeEnv) {
    this.ledger = createLedgerClients(this.base(env.AWS_REGION), env.LEDGER_TABLE);
    this.engine = {
      exemptionTagKey: env.EXEMPTION_TAG_KEY,
      responderActor: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'sequester-responder',
    };
  }

  /** COVERED_REGIONS as a list; the home Region when none is set. */
  public get coveredRegions(): ReadonlyArray<string> {
    return coveredRegionsFrom(this.env.COVERED_REGIONS, this.env.AWS_REGION);
  }

  private base(region: string) {
    return {
      region,
      ...(this.env.AWS_ENDPOINT_URL === undefined ? {} : { endpoint: this.env.AWS_ENDPOINT_URL }),
    };
  }

  private stsClient?: STSClient;
  /** STS with the responder's own credentials. */
  public sts(): STSClient {
    this.stsClient ??= new STSClient(this.base(this.env.AWS_REGION));
    return this.stsClient;
  }

  /** The responder's own account (GetCallerIdentity, once per container). */
  public accountId(): Promise<string> {
    this.ownAccount ??= this.sts()
      .send(new GetCallerIdentityCommand({}))
      .then((r) => r.Account ?? '');
    return this.ownAccount;
  }

  /** Clients acting on an instance: the responder's own credentials, or the member account's role. */
  public async isolationClientsFor(instance: {
    region: string;
    accountId?: string;
  }): Promise<IsolationClients> {
    const own = await this.accountId();
    const account = instance.accountId ?? own;
    const key = `${account}/${instance.region}`;
    const cached = this.isolation.get(key);
    if (cached !== undefined) return cached;
    const credentials =
      account === own
        ? undefined
        : fromTemporaryCredentials({
            params: {
              RoleArn: `arn:${partitionOf(instance.region)}:iam::${account}:role/${this.env.MEMBER_ROLE_NAME}`,
              RoleSessionName: 'sequester-responder',
              DurationSeconds: 900,
            },
            clientConfig: this.base(instance.region),
          });
    const clients = createIsolationClients({
      ...this.base(instance.region),
      ...(credentials === undefined ? {} : { credentials }),
    });
    this.isolation.set(key, clients);
    return clients;
  }
}

let shared: Runtime | undefined;
/** The container's runtime, created on first use (tests construct their own Runtime instead). */
export function runtime(): Runtime {
  shared ??= new Runtime(readEnv());
  return shared;
}
