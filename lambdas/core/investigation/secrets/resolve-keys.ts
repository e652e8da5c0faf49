import { GetAccessKeyLastUsedCommand, type IAMClient } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsErrorName } from '../../errors';
import type { SecretFinding } from './secret-finding';

/** Distinct access key ids resolved per image: two calls at most each, so a disk full of keys stays cheap. */
export const RESOLVE_LIMIT = 20;

type Resolved = NonNullable<SecretFinding['resolved']>;

export interface KeyResolvers {
  /** STS with the responder's own credentials: GetAccessKeyInfo answers for a key of any account. */
  readonly sts: STSClient;
  /** IAM of the instance's account (GetAccessKeyLastUsed only answers for keys of the caller's account). */
  readonly iam?: IAMClient;
  /** The instance's account: keys of that account are resolved to their user. */
  readonly instanceAccount?: string;
}

/**
 * Resolves each AWS key id found to its account (sts:GetAccessKeyInfo) and, when that is the instance's
 * own account, to the IAM user owning it. GetAccessKeyLastUsed names the owner (`UserName`) in one call
 * per key, where iam:ListAccessKeys is per user and would take a ListUsers pass plus one call per user.
 * ASIA ids are temporary credentials of a role session, never a user's: who obtained them is in the
 * account's CloudTrail STS events. Whatever cannot be resolved is `unknown`, with the reason.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
 */
export async function resolveAccessKeys(
  c: KeyResolvers,
  findings: ReadonlyArray<SecretFinding>,
  limit = RESOLVE_LIMIT,
): Promise<SecretFinding[]> {
  const ids = [...new Set(findings.flatMap((f) => (f.accessKeyId === undefined ? [] : [f.accessKeyId])))];
  const answers = new Map<string, Resolved>();
  for (const [i, id] of ids.entries()) {
    answers.set(
      id,
      i < limit
        ? await resolveOne(c, id)
        : { status: 'unknown', detail: `not looked up: more than ${limit} distinct key ids on this image` },
    );
  }
  return findings.map((f) => {
    const resolved = f.accessKeyId === undefined ? undefined : answers.get(f.accessKeyId);
    return resolved === undefined ? f : { ...f, resolved };
  });
}

async function resolveOne(c: KeyResolvers, id: string): Promise<Resolved> {
  let account: string | undefined;
  try {
    account = (await c.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: id }))).Account;
  } catch (err) {
    return { status: 'unknown', detail: `sts:GetAccessKeyInfo failed (${awsErrorName(err) ?? 'error'})` };
  }
  if (account === undefined) return { status: 'unknown', detail: 'sts:GetAccessKeyInfo named no account' };
  if (id.startsWith('ASIA')) {
    return {
      status: 'resolved',
      account,
      detail: 'temporary credentials of a role session (see its STS events in CloudTrail)',
    };
  }
  if (account !== c.instanceAccount || c.iam === undefined) {
    return { status: 'resolved', account, detail: 'user not looked up: the key belongs to another account' };
  }
  try {
    const user = (await c.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }))).UserName;
    return user === undefined
      ? { status: 'resolved', account, detail: 'iam:GetAccessKeyLastUsed named no user (a root user key?)' }
      : { status: 'resolved', account, user };
  } catch (err) {
    return {
      status: 'resolved',
      account,
      detail: `user unknown: iam:GetAccessKeyLastUsed failed (${awsErrorName(err) ?? 'error'})`,
    };
  }
}
