import { type IAMClient, paginateListRoles, paginateListRoleTags } from '@aws-sdk/client-iam';
import { policyDocumentText } from '../../../../policies/policy-document';
import { decodePolicyDocument, readRolePolicies } from '../../isolation/role-policies';
import { perStore, reasonOf, tagsOf, type Unknown } from './collect-support';
import type { RoleCandidate } from './snapshot-set';

/** The ARN of a session of a role: `arn:aws:sts::<account>:assumed-role/<name>/<session>`. */
export const sessionArn = (roleArn: string, session: string) =>
  roleArn.replace(':iam::', ':sts::').replace(/:role\/(?:.*\/)?([^/]+)$/, ':assumed-role/$1/') + session;

export async function roleTags(iam: IAMClient, roleName: string): Promise<Record<string, string>> {
  const tags: Array<{ Key?: string; Value?: string }> = [];
  for await (const page of paginateListRoleTags({ client: iam }, { RoleName: roleName }))
    tags.push(...(page.Tags ?? []));
  return tagsOf(tags);
}

/**
 * The roles of the account whose trust policy could admit the instance's role: it names the role, the
 * account or `*` (the evaluation decides; this only spares reading every role's policies). ListRoles
 * returns each role's trust policy URL-encoded.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
 */
export async function roleCandidates(
  iam: IAMClient,
  roleArn: string,
  accountId: string,
  unknown: Unknown[],
): Promise<RoleCandidate[]> {
  const found: Array<{ name: string; arn: string; trust: string }> = [];
  try {
    for await (const page of paginateListRoles({ client: iam }, {})) {
      for (const r of page.Roles ?? []) {
        if (r.RoleName === undefined || r.Arn === undefined || r.Arn === roleArn) continue;
        const trust = r.AssumeRolePolicyDocument ?? '';
        const text = policyDocumentText(trust);
        if (text.includes(roleArn) || text.includes(accountId) || text.includes('"*"')) {
          found.push({ name: r.RoleName, arn: r.Arn, trust: text });
        }
      }
    }
  } catch (err) {
    unknown.push({ what: 'iam:ListRoles', reason: reasonOf(err) });
    return [];
  }
  const read = await perStore(found, async (r): Promise<RoleCandidate | undefined> => {
    try {
      const [policies, tags] = await Promise.all([readRolePolicies(iam, r.name), roleTags(iam, r.name)]);
      return {
        roleArn: r.arn,
        trustPolicy: decodePolicyDocument(r.trust) as RoleCandidate['trustPolicy'],
        snapshot: {
          version: 1,
          principal: { arn: sessionArn(r.arn, 'sequester-reach'), accountId, roleArn: r.arn, tags },
          identityPolicies: policies.identityPolicies as RoleCandidate['snapshot']['identityPolicies'],
          permissionsBoundary:
            policies.permissionsBoundary as RoleCandidate['snapshot']['permissionsBoundary'],
          sessionPolicies: [],
          scps: [],
          rcps: {},
          resources: [],
          vpcEndpoints: [],
          requests: [],
        },
      };
    } catch (err) {
      unknown.push({ what: `role ${r.arn}`, reason: reasonOf(err) });
      return undefined;
    }
  });
  return read.filter((r): r is RoleCandidate => r !== undefined);
}
