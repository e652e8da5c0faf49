import type { AwsCredentialIdentityProvider } from '@smithy/types';
import * as z from 'zod/mini';
import type { ClientOptions } from '../lambdas/core/clients';
import { fromZodIssues, InvalidInputError } from '../lambdas/core/errors';
import { Region } from '../lambdas/core/schemas/ids';

/** Options every command accepts (declared once on the program, usable before or after the command). */
export const GlobalOptions = z.object({
  json: z._default(z.boolean(), false),
  endpointUrl: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  profile: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  region: z.optional(Region),
  debug: z._default(z.boolean(), false),
});
export type GlobalOptions = z.infer<typeof GlobalOptions>;

/** What a command needs from the outside world: options, credentials, region and output. */
export interface CliContext {
  readonly opts: GlobalOptions;
  readonly credentials: AwsCredentialIdentityProvider;
  /** --region, else the SDK's own resolution (AWS_REGION, the profile's region). */
  region(): Promise<string>;
  /** Options for the project's client factories (lambdas/core/clients.ts and friends). */
  clientOptions(): Promise<ClientOptions>;
  /** Prints `data` as one JSON line with --json, else the human rendering. */
  print(data: unknown, human: () => string): void;
  /** Progress and notes for people: stderr, so stdout stays parseable. */
  note(line: string): void;
}

/** Parses commander's global option values; a bad one is an InvalidInputError naming the flag. */
export function parseGlobalOptions(raw: Record<string, unknown>): GlobalOptions {
  const r = GlobalOptions.safeParse(raw);
  if (!r.success) {
    const err = fromZodIssues(r.error.issues);
    const flag = `--${err.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new InvalidInputError(err.message.replace(err.field, flag), flag);
  }
  return r.data;
}

/**
 * The standard credential chain (or --profile), loaded at the first signature: the SDK's providers are
 * the largest part of the CLI, and commands that call no AWS API (--help, intake, iam, reach) never
 * load them.
 */
function lazyCredentials(profile: string | undefined): AwsCredentialIdentityProvider {
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (props) => {
    chain ??= import('@aws-sdk/credential-providers').then((m) =>
      m.fromNodeProviderChain(profile === undefined ? {} : { profile }),
    );
    return (await chain)(props);
  };
}

export function createContext(opts: GlobalOptions): CliContext {
  const credentials = lazyCredentials(opts.profile);
  let cached: Promise<string> | undefined;
  const resolveRegion = async (): Promise<string> => {
    if (opts.region !== undefined) return opts.region;
    const { STSClient } = await import('@aws-sdk/client-sts');
    const sts = new STSClient(opts.profile === undefined ? {} : { profile: opts.profile });
    const found = await sts.config.region().catch(() => undefined);
    if (found === undefined || found === '')
      throw new InvalidInputError('--region: no region; pass --region or set AWS_REGION', '--region');
    return found;
  };
  const ctxRegion = () => {
    cached ??= resolveRegion();
    return cached;
  };
  return {
    opts,
    credentials,
    region: ctxRegion,
    clientOptions: async () => ({
      region: await ctxRegion(),
      credentials,
      maxAttempts: 5,
      ...(opts.endpointUrl === undefined ? {} : { endpoint: opts.endpointUrl }),
    }),
    print: (data, human) => {
      process.stdout.write(opts.json ? `${JSON.stringify(data)}\n` : `${human()}\n`);
    },
    note: (line) => {
      if (!opts.json || process.stderr.isTTY) process.stderr.write(`${line}\n`);
    },
  };
}
