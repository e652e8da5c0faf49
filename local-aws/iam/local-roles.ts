import { createHash } from 'node:crypto';
import { type ArnContext, type ResponderResources, responderRoleArn } from '../../policies/arn-context';
import { memberRoleArns } from '../../policies/common-statements';
import { onCallPolicy, reviewerPolicy } from '../../policies/human-roles';
import type { PolicyStatement } from '../../policies/policy-document';
import {
  ACTS_IN_MEMBER_ACCOUNTS,
  LAMBDA_NAMES,
  type LambdaName,
  lambdaPolicy,
  memberAccessPolicy,
} from '../../policies/responder-statements';
import { humanTrust, lambdaTrust, memberAccessTrust } from '../../policies/trust-policies';
import { VAULT_WRITERS, vaultBucketPolicy } from '../../policies/vault-bucket-policy';
import { LOCAL_CREDENTIALS } from '../moto-server';
import { Principals, type RoleDefinition } from './principals';

/** What the stack would deploy, described for the local account: the inputs of the policy functions. */
export interface LocalDeployment {
  readonly context: ArnContext;
  /** The stack's resource prefix (role names `<prefix>-<lambda>` under /sequester/). */
  readonly prefix: string;
  readonly resources: ResponderResources;
  readonly snapshotLock?: boolean;
  /** The on-call API's execution ARN (`arn:aws:execute-api:<region>:<account>:<api id>`); default: localApiExecutionArn. */
  readonly apiExecutionArn?: string;
  /** Changes a Lambda role's statements before they are enforced (a test removing one action). */
  readonly edit?: (name: LambdaName, statements: PolicyStatement[]) => PolicyStatement[];
}

/** Static credentials of a local principal (the secret is never checked: moto and the enforcer read the key id). */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A stable access key id per local principal, shaped like AWS's (`AKIA` + 16 of [A-Z2-7]). */
export function localKey(principal: string): LocalCredentials {
  const digest = createHash('sha256').update(principal).digest();
  const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = Array.from(digest.subarray(0, 16), (b) => b32[b % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: `local-secret-of-${principal}` };
}

export const lambdaCredentials = (name: LambdaName) => localKey(`lambda/${name}`);
export const reviewerCredentials = () => localKey('human/reviewer');

export const reviewerRoleArn = (d: LocalDeployment) => responderRoleArn(d.context, d.prefix, 'reviewer');
export const onCallCredentials = () => localKey('human/on-call');
/** stacks/triggers.ts names the on-call role `<prefix>-oncall`. */
export const onCallRoleArn = (d: Pick<LocalDeployment, 'context' | 'prefix'>) =>
  responderRoleArn(d.context, d.prefix, 'oncall');
/** The local stand-ins of the on-call API (test/cli/api-server.ts) answer as this API. */
export const localApiExecutionArn = (c: ArnContext) =>
  `arn:${c.partition}:execute-api:${c.region}:${c.accountId}:local-api`;

/**
 * Defines every role of a local deployment from the pure policy functions in policies/, exactly as
 * stacks/responder.ts, stacks/member-access.ts and stacks/evidence-vault.ts declare them (with the
 * vault's bucket policy), and gives each Lambda role, the reviewer and on-call their keys. LOCAL_CREDENTIALS stays the administrator (the deployer).
 * Redefining (a test that removes an action) replaces the policies the next request is decided with.
 */
export function defineLocalDeployment(p: Principals, d: LocalDeployment): void {
  const c = d.context;
  p.admin(LOCAL_CREDENTIALS.accessKeyId);
  for (const name of LAMBDA_NAMES) {
    const roleArn = responderRoleArn(c, d.prefix, name);
    const declared = [
      ...lambdaPolicy(name, c, d.resources, { snapshotLock: d.snapshotLock ?? false }).Statement,
    ];
    const statements = d.edit === undefined ? declared : d.edit(name, declared);
    p.defineRole({
      roleArn,
      accountId: c.accountId,
      trust: lambdaTrust(c.accountId),
      policies: [{ name: `${d.prefix}-${name}`, document: { Version: '2012-10-17', Statement: statements } }],
    });
    // Lambda names the session after the function.
    p.bindKey(lambdaCredentials(name).accessKeyId, roleArn, `${d.prefix}-${name}`);
  }
  const responders = LAMBDA_NAMES.filter((n) => ACTS_IN_MEMBER_ACCOUNTS.has(n)).map((n) =>
    responderRoleArn(c, d.prefix, n),
  );
  memberRoleArns(c, d.resources).forEach((roleArn, i) => {
    const accountId = d.resources.memberAccountIds[i] ?? '';
    p.defineRole({
      roleArn,
      accountId,
      trust: memberAccessTrust(responders),
      policies: [{ name: 'member-access', document: memberAccessPolicy({ ...c, accountId }) }],
    });
  });
  const reviewer: RoleDefinition = {
    roleArn: reviewerRoleArn(d),
    accountId: c.accountId,
    trust: humanTrust([`arn:${c.partition}:iam::${c.accountId}:root`], true),
    policies: [
      {
        name: 'reviewer',
        document: reviewerPolicy({
          vaultBucketArn: d.resources.vaultBucketArn,
          vaultKeyArn: d.resources.vaultKeyArn,
          ledgerTableArn: d.resources.ledgerTableArn,
        }),
      },
    ],
  };
  p.defineRole(reviewer);
  p.bindKey(reviewerCredentials().accessKeyId, reviewer.roleArn, 'reviewer');
  const onCall: RoleDefinition = {
    roleArn: onCallRoleArn(d),
    accountId: c.accountId,
    trust: humanTrust([`arn:${c.partition}:iam::${c.accountId}:root`], true),
    policies: [{ name: 'oncall', document: onCallPolicy(d.apiExecutionArn ?? localApiExecutionArn(c)) }],
  };
  p.defineRole(onCall);
  p.bindKey(onCallCredentials().accessKeyId, onCall.roleArn, 'on-call');
  // The vault's bucket policy, as stacks/evidence-vault.ts renders it.
  p.definePolicy(
    d.resources.vaultBucketArn,
    vaultBucketPolicy({
      bucketArn: d.resources.vaultBucketArn,
      keyArn: d.resources.vaultKeyArn,
      writerRoleArns: VAULT_WRITERS.map((l) => responderRoleArn(c, d.prefix, l)),
      readerRoleArns: [reviewer.roleArn],
    }),
  );
}

/** A registry holding one local deployment. */
export function localPrincipals(d: LocalDeployment): Principals {
  const p = new Principals();
  defineLocalDeployment(p, d);
  return p;
}
