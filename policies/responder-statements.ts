import { WORKFLOW_TASKS } from '../lambdas/core/workflow/definition';
import { type ArnContext, actingAccounts, type ResponderResources } from './arn-context';
import { assumeMemberRoles, ledgerAppend } from './common-statements';
import { type EvidenceOptions, evidenceStatements, memberEvidenceStatements } from './evidence-statements';
import {
  activityInstanceReads,
  activityStatements,
  reachInstanceReads,
  reachStatements,
} from './investigation-statements';
import {
  denySelfEscalation,
  isolationStatements,
  planStatements,
  releaseStatements,
} from './isolation-statements';
import type { PolicyDocument, PolicyStatement } from './policy-document';
import { exposureStatements, issueReportStatements, memberExposureStatements } from './report-statements';

/** Every Lambda of the responder: the two triggers' entry points and every task of the workflow. */
export const LAMBDA_NAMES = ['intake', 'api', ...WORKFLOW_TASKS] as const;
export type LambdaName = (typeof LAMBDA_NAMES)[number];

/** Lambdas that act on instances, possibly in a member account through the MemberAccess role. */
export const ACTS_IN_MEMBER_ACCOUNTS: ReadonlySet<LambdaName> = new Set(
  // Intake (it decides from the finding and starts the workflow) and the bookkeeping tasks (ledger and
  // on-call topic) only touch resources of the responder account; so does the report step (ledger and
  // vault only).
  LAMBDA_NAMES.filter((n) => !['intake', 'notify', 'record-failure', 'issue-report'].includes(n)),
);

const LEDGER_WRITE = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Ledger access. TransactWriteItems is authorized per item action, so the claim and the lock release
 * need PutItem/UpdateItem/DeleteItem on the table, never a table-level `dynamodb:*`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
export const ledgerStatement = (tableArn: string, write: boolean): PolicyStatement => ({
  Sid: write ? 'LedgerReadWrite' : 'LedgerRead',
  Effect: 'Allow',
  Action: write ? [...LEDGER_WRITE] : ['dynamodb:GetItem'],
  Resource: tableArn,
});

const publish = (topicArn: string): PolicyStatement => ({
  Sid: 'NotifyOnCall',
  Effect: 'Allow',
  Action: 'sns:Publish',
  Resource: topicArn,
});

/** The statements of one Lambda's role, scoped to this stack's resources and deployment options. */
export function lambdaStatements(
  name: LambdaName,
  c: ArnContext,
  r: ResponderResources,
  o: EvidenceOptions = {},
): PolicyStatement[] {
  const own = [c.accountId];
  const cross = ACTS_IN_MEMBER_ACCOUNTS.has(name) ? assumeMemberRoles(c, r) : [];
  const startExecution: PolicyStatement = {
    Sid: 'StartQuarantineWorkflow',
    Effect: 'Allow',
    Action: 'states:StartExecution',
    Resource: r.stateMachineArn,
  };
  const byName: Record<LambdaName, () => PolicyStatement[]> = {
    // The exemption tag is read from the finding here and checked on the instance by the isolate task.
    intake: () => [ledgerStatement(r.ledgerTableArn, true), startExecution],
    // The API lists quarantines (Scan), plans dry runs and releases in place; quarantines go through the workflow.
    api: () => [
      { ...ledgerStatement(r.ledgerTableArn, true), Action: [...LEDGER_WRITE, 'dynamodb:Scan'] },
      startExecution,
      ...planStatements(),
      ...releaseStatements(c, own),
      denySelfEscalation(c, actingAccounts(c, r)),
    ],
    isolate: () => [
      ledgerStatement(r.ledgerTableArn, true),
      ...isolationStatements(c, own),
      denySelfEscalation(c, actingAccounts(c, r)),
    ],
    notify: () => [ledgerAppend(r.ledgerTableArn), publish(r.topicArn)],
    'record-failure': () => [ledgerAppend(r.ledgerTableArn), publish(r.topicArn)],
    snapshot: () => evidenceStatements('snapshot', c, r, own, o),
    'poll-snapshots': () => evidenceStatements('poll-snapshots', c, r, own),
    'plan-export': () => evidenceStatements('plan-export', c, r, own),
    'export-segment': () => evidenceStatements('export-segment', c, r, own),
    'complete-export': () => evidenceStatements('complete-export', c, r, own),
    'seal-manifest': () => evidenceStatements('seal-manifest', c, r, own),
    'investigate-activity': () => activityStatements(c, r, own),
    'investigate-reach': () => reachStatements(c, r, own),
    'investigate-exposure': () => exposureStatements(c, r),
    'issue-report': () => issueReportStatements(r),
  };
  return [...byName[name](), ...cross];
}

export const lambdaPolicy = (
  name: LambdaName,
  c: ArnContext,
  r: ResponderResources,
  o: EvidenceOptions = {},
): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: lambdaStatements(name, c, r, o),
});

/** What the MemberAccess role allows in its account: everything the responder does to instances there. */
export function memberAccessPolicy(
  c: ArnContext,
  o: { readonly flowLogGroups?: ReadonlyArray<string> } = {},
): PolicyDocument {
  const here = [c.accountId];
  return {
    Version: '2012-10-17',
    Statement: [
      ...prefixSids('Isolate', isolationStatements(c, here)),
      ...prefixSids('Release', releaseStatements(c, here)),
      ...prefixSids('Evidence', memberEvidenceStatements(c, here)),
      ...prefixSids('Activity', activityInstanceReads(c, here, o.flowLogGroups)),
      ...prefixSids('Reach', reachInstanceReads(c, here)),
      ...memberExposureStatements(c),
      denySelfEscalation(c, here),
    ],
  };
}

/** Sids must be unique within one policy; merged statement lists get a prefix per source. */
const prefixSids = (prefix: string, statements: ReadonlyArray<PolicyStatement>): PolicyStatement[] =>
  statements.map((s) => ({ ...s, Sid: `${prefix}${s.Sid ?? ''}` }));
