import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import type { DocumentLike } from '../../../policies/evaluation/policy-types';
import { policyDocumentText } from '../../../policies/policy-document';
import type { RolePolicies } from './revocation-proof';

/** A policy document as IAM returns it, parsed (policyDocumentText says why it is decoded). */
export function decodePolicyDocument(text: string | undefined): DocumentLike {
  return JSON.parse(policyDocumentText(text ?? '{"Statement":[]}')) as DocumentLike;
}

/** The default version of a managed policy (the one IAM enforces). */
async function managedDocument(iam: IAMClient, policyArn: string): Promise<DocumentLike> {
  const p = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
  const v = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: p.Policy?.DefaultVersionId ?? 'v1' }),
  );
  return decodePolicyDocument(v.PolicyVersion?.Document);
}

/**
 * A role's policies as IAM enforces them now: every inline policy, the default version of every
 * attached managed policy, and the permissions boundary. Names are `inline:<name>` / `managed:<arn>`.
 * `exclude` leaves out policies by name (the proof adds Sequester's own deny explicitly).
 */
export async function readRolePolicies(
  iam: IAMClient,
  roleName: string,
  exclude: (name: string) => boolean = () => false,
): Promise<RolePolicies> {
  const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  const roleArn = role?.Arn ?? '';
  const inlineNames: string[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName }))
    inlineNames.push(...(page.PolicyNames ?? []));
  const attached: string[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }))
    attached.push(
      ...(page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn === undefined ? [] : [p.PolicyArn])),
    );
  const inline = inlineNames
    .filter((n) => !exclude(`inline:${n}`))
    .map(async (n) => {
      const r = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: n }));
      return { name: `inline:${n}`, document: decodePolicyDocument(r.PolicyDocument) };
    });
  const managed = attached
    .filter((a) => !exclude(`managed:${a}`))
    .map(async (a) => ({ name: `managed:${a}`, document: await managedDocument(iam, a) }));
  const boundaryArn = role?.PermissionsBoundary?.PermissionsBoundaryArn;
  const [identityPolicies, permissionsBoundary] = await Promise.all([
    Promise.all([...inline, ...managed]),
    boundaryArn === undefined ? Promise.resolve(null) : managedDocument(iam, boundaryArn),
  ]);
  return { roleArn, accountId: roleArn.split(':')[4] ?? '', identityPolicies, permissionsBoundary };
}
