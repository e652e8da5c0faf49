import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  type LocalCredentials,
  onCallCredentials,
  reviewerCredentials,
} from '../../local-aws/iam/local-roles';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';

export const BIN = join(__dirname, '..', '..', 'bin', 'sequester.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/sequester.js ...args` as a real process, the way a user does. Asynchronous on purpose:
 * an API server the CLI talks to may live in this (the test's) process. Credentials are the fake local
 * ones, from the environment, through the SDK's standard chain; nothing from the user's ~/.aws is read.
 */
export function runCli(args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: '/nonexistent-home',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: '/nonexistent-aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-aws-credentials',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment of a person signed in with `creds` (the SDK's standard chain reads these). */
export const signedInAs = (creds: LocalCredentials): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: creds.accessKeyId,
  AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
});

/**
 * The reviewer role's key (policies/human-roles.ts reviewerPolicy, bound by the enforcing local AWS once
 * a suite defines the local deployment): evidence commands run with it, so a permission missing from
 * the reviewer role fails a test, as it would fail the reviewer on AWS.
 */
export const AS_REVIEWER = signedInAs(reviewerCredentials());

/**
 * The on-call role's key (policies/human-roles.ts onCallPolicy): the local API stand-ins
 * (test/cli/api-server.ts) authorize `execute-api:Invoke` for it as API Gateway does.
 */
export const AS_ON_CALL = signedInAs(onCallCredentials());

/** The last non-empty stdout line parsed as JSON (what --json promises). */
export function lastJson(run: CliRun): unknown {
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '');
}
