import { AsyncLocalStorage } from 'node:async_hooks';
import type { LocalCredentials } from './local-roles';

const CREDENTIAL_VARS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
const bound = new AsyncLocalStorage<LocalCredentials>();
const WRAPPED = Symbol.for('sequester.role-credentials');

/**
 * Lets in-process handlers sign with their own role's key, as each Lambda does with its execution role,
 * although tests and the local workflow run them all in one process and their modules cache SDK clients.
 *
 * - `process.env` is wrapped so the three credential variables read the credentials bound to the
 *   current async context (AsyncLocalStorage), and the process-wide values outside one.
 * - AWS_CREDENTIAL_EXPIRATION is set in the past: the SDK's default chain (fromEnv) then treats the
 *   credentials it read as expired and reads the environment again on every request, so a cached
 *   client signs with the credentials of whichever handler is calling.
 *   (@aws-sdk/credential-provider-node memoizeChain drops expired credentials; @smithy/core refreshes
 *   identities within 5 minutes of expiry.)
 * Harness code only: production handlers get their role's credentials from Lambda and run unchanged.
 */
export function installRoleCredentials(): void {
  process.env.AWS_CREDENTIAL_EXPIRATION = '2000-01-01T00:00:00Z';
  if ((process.env as { [WRAPPED]?: boolean })[WRAPPED] === true) return;
  const env = process.env;
  process.env = new Proxy(env, {
    get(target, prop, receiver) {
      if (prop === WRAPPED) return true;
      const creds = bound.getStore();
      if (creds !== undefined && typeof prop === 'string' && CREDENTIAL_VARS.has(prop)) {
        if (prop === 'AWS_ACCESS_KEY_ID') return creds.accessKeyId;
        if (prop === 'AWS_SECRET_ACCESS_KEY') return creds.secretAccessKey;
        return undefined;
      }
      return Reflect.get(target, prop, receiver);
    },
    // process.env accepts only plain assignments: a Reflect.set through the proxy would define the
    // property with a partial descriptor, which Node refuses ("only accepts a configurable, writable,
    // and enumerable data descriptor"). Writes go to the real environment as they are.
    set(target, prop, value) {
      (target as Record<string | symbol, unknown>)[prop] = value;
      return true;
    },
  });
}

/** Runs `fn` (and everything it starts) signed with `creds`. */
export function withCredentials<T>(creds: LocalCredentials, fn: () => T): T {
  installRoleCredentials();
  return bound.run(creds, fn);
}
