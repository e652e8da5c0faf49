import * as z from 'zod/mini';
import type { DocumentLike } from '../../../../policies/evaluation';
import { awsErrorName } from '../../errors';
import { parsed, policyOf, reasonOf, type Unknown } from './collect-support';
import { type JsonApi, pages } from './json-api';

const Parents = z.object({
  Parents: z._default(z.array(z.object({ Id: z.string(), Type: z.string() })), []),
});
const Policies = z.object({ Policies: z._default(z.array(z.object({ Id: z.string() })), []) });
const Described = z.object({ Policy: z.object({ Content: z.string() }) });
const Organization = z.object({ Organization: z.object({ Id: z.string() }) });

type Chain = DocumentLike[][];
export interface OrganizationFacts {
  readonly orgId: string | undefined;
  /** The principal account's SCP chain, root first. */
  readonly scps: Chain;
  /** Per account, its RCP chain, root first. */
  readonly rcps: Record<string, Chain>;
  readonly unknown: Unknown[];
}

/**
 * SCP and RCP chains from AWS Organizations: ListParents from the account up to the root (each level has
 * one parent), ListPoliciesForTarget per level with Filter SERVICE_CONTROL_POLICY or
 * RESOURCE_CONTROL_POLICY, DescribePolicy once per distinct policy for its content.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html
 * These calls work only from the management account or a delegated administrator; AccessDeniedException
 * or AWSOrganizationsNotInUseException leaves the chains empty and records why: the evaluation then
 * applies no guardrail there (it may over-report reach, never under-report it) and leaves conditions on
 * the organization's id unknown.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
 */
export async function collectOrganizations(
  org: JsonApi,
  principalAccount: string,
  resourceAccounts: ReadonlyArray<string>,
): Promise<OrganizationFacts> {
  const unknown: Unknown[] = [];
  let orgId: string | undefined;
  try {
    orgId = parsed(
      Organization,
      await org.send({ operation: 'DescribeOrganization', input: {} }),
      'DescribeOrganization',
    ).Organization.Id;
  } catch (err) {
    unknown.push({ what: 'organizations:DescribeOrganization', reason: reasonOf(err) });
    if (
      awsErrorName(err) === 'AWSOrganizationsNotInUseException' ||
      awsErrorName(err) === 'AccessDeniedException'
    )
      return { orgId, scps: [], rcps: {}, unknown };
  }
  const contents = new Map<string, Promise<DocumentLike | null>>();
  const content = (id: string) => {
    let p = contents.get(id);
    if (p === undefined) {
      p = org
        .send({ operation: 'DescribePolicy', input: { PolicyId: id } })
        .then((r) => policyOf(parsed(Described, r, 'DescribePolicy').Policy.Content));
      contents.set(id, p);
    }
    return p;
  };
  const chainOf = async (account: string, filter: string): Promise<Chain> => {
    const targets = await lineage(org, account);
    const levels = await Promise.all(
      targets.map(async (target) => {
        const ids: string[] = [];
        for await (const raw of pages(org, 'ListPoliciesForTarget', { TargetId: target, Filter: filter }))
          ids.push(...parsed(Policies, raw, 'ListPoliciesForTarget').Policies.map((p) => p.Id));
        const docs = await Promise.all(ids.map(content));
        return docs.filter((d): d is DocumentLike => d !== null);
      }),
    );
    return levels;
  };
  let scps: Chain = [];
  const rcps: Record<string, Chain> = {};
  try {
    scps = await chainOf(principalAccount, 'SERVICE_CONTROL_POLICY');
  } catch (err) {
    unknown.push({ what: `organizations:SCPs ${principalAccount}`, reason: reasonOf(err) });
  }
  for (const account of new Set([principalAccount, ...resourceAccounts])) {
    try {
      rcps[account] = await chainOf(account, 'RESOURCE_CONTROL_POLICY');
    } catch (err) {
      unknown.push({ what: `organizations:RCPs ${account}`, reason: reasonOf(err) });
    }
  }
  return { orgId, scps, rcps, unknown };
}

/** The account's ancestors and itself, root first: [root, ou, ..., account]. */
async function lineage(org: JsonApi, account: string): Promise<string[]> {
  const path = [account];
  let child = account;
  for (let hops = 0; hops < 10; hops++) {
    // An OU nests at most five levels below the root; the loop bound is a guard, not a limit.
    let parent: { Id: string; Type: string } | undefined;
    for await (const raw of pages(org, 'ListParents', { ChildId: child }))
      parent ??= parsed(Parents, raw, 'ListParents').Parents[0];
    if (parent === undefined) break;
    path.unshift(parent.Id);
    if (parent.Type === 'ROOT') break;
    child = parent.Id;
  }
  return path;
}
