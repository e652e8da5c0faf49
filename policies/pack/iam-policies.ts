import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';

/** Resource types whose inputs carry an IAM policy document, and where. */
const POLICY_PROPS: Readonly<Record<string, (props: Record<string, unknown>) => unknown[]>> = {
  'aws:iam/policy:Policy': (p) => [p.policy],
  'aws:iam/rolePolicy:RolePolicy': (p) => [p.policy],
  'aws:iam/userPolicy:UserPolicy': (p) => [p.policy],
  'aws:iam/groupPolicy:GroupPolicy': (p) => [p.policy],
  'aws:iam/role:Role': (p) =>
    Array.isArray(p.inlinePolicies) ? p.inlinePolicies.map((i: { policy?: unknown }) => i.policy) : [],
};

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statementsOf(doc: unknown): Statement[] {
  const parsed: unknown = typeof doc === 'string' ? JSON.parse(doc) : doc;
  if (typeof parsed !== 'object' || parsed === null) return [];
  const st = (parsed as { Statement?: Statement | Statement[] }).Statement;
  return st === undefined ? [] : Array.isArray(st) ? st : [st];
}

/**
 * No IAM statement may allow every action on every resource (`*` on `*`, `service:*` is not exempt
 * when the resource is `*` and the action is `*`). Deny statements are fine: Sequester's own
 * credential deny is `*` on `*`, scoped by condition.
 */
export const noStarOnStar: ResourceValidationPolicy = {
  name: 'iam-no-star-action-on-star-resource',
  description: 'No IAM policy statement allows action "*" on resource "*".',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const docs = POLICY_PROPS[args.type]?.(args.props) ?? [];
    for (const doc of docs) {
      if (doc === undefined || doc === null) continue;
      for (const s of statementsOf(doc)) {
        if (s.Effect === 'Allow' && list(s.Action).includes('*') && list(s.Resource).includes('*')) {
          report(`${args.type} ${args.name} allows "*" on "*"`);
        }
      }
    }
  },
};

/** The AWS managed admin policy is `*` on `*` too, just by reference. */
export const noAdministratorAccess: ResourceValidationPolicy = {
  name: 'iam-no-administrator-access',
  description: 'No role, user or group gets the AdministratorAccess managed policy.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (
      !/^aws:iam\/(rolePolicyAttachment|userPolicyAttachment|groupPolicyAttachment|policyAttachment)/.test(
        args.type,
      )
    )
      return;
    if (String(args.props.policyArn ?? '').endsWith(':policy/AdministratorAccess')) {
      report(`${args.type} ${args.name} attaches AdministratorAccess`);
    }
  },
};
