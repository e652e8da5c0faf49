import { type CloudTrailRecord, str } from './record';

type Target = (q: Record<string, unknown> | null | undefined) => string | undefined;

const user: Target = (q) => str(q, 'userName');
const role: Target = (q) => str(q, 'roleName');
const policyOn =
  (owner: Target): Target =>
  (q) => {
    const who = owner(q);
    const policy = str(q, 'policyName') ?? str(q, 'policyArn');
    return who === undefined ? policy : policy === undefined ? who : `${who}/${policy}`;
  };

/**
 * Calls that create or widen access, by event source and name, with what each one targets. IAM: new
 * access keys, users, login profiles, inline and attached policies, policy versions, trust policies;
 * EC2: key pairs, and user data (runs as root at the next boot); Lambda: new code. Lambda's CloudTrail
 * event names carry the API version (`UpdateFunctionCode20150331v2`), hence the prefix match.
 * https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
 */
const RULES: Readonly<Record<string, Readonly<Record<string, Target>>>> = {
  'iam.amazonaws.com': {
    CreateAccessKey: user,
    CreateUser: user,
    CreateLoginProfile: user,
    UpdateLoginProfile: user,
    CreateServiceSpecificCredential: user,
    AddUserToGroup: (q) => str(q, 'groupName'),
    PutUserPolicy: policyOn(user),
    AttachUserPolicy: policyOn(user),
    PutRolePolicy: policyOn(role),
    AttachRolePolicy: policyOn(role),
    PutGroupPolicy: policyOn((q) => str(q, 'groupName')),
    AttachGroupPolicy: policyOn((q) => str(q, 'groupName')),
    CreateRole: role,
    UpdateAssumeRolePolicy: role,
    CreatePolicyVersion: (q) => str(q, 'policyArn'),
    SetDefaultPolicyVersion: (q) => str(q, 'policyArn'),
  },
  'ec2.amazonaws.com': {
    CreateKeyPair: (q) => str(q, 'keyName'),
    ImportKeyPair: (q) => str(q, 'keyName'),
  },
  'ec2-instance-connect.amazonaws.com': { SendSSHPublicKey: (q) => str(q, 'instanceId') },
};

const LAMBDA_CODE = /^(CreateFunction|UpdateFunctionCode)(\d{8}(v\d+)?)?$/;

/** What a persistence call targeted, or undefined when the record is not one. */
export function persistenceTargetOf(r: CloudTrailRecord): string | null {
  const q = r.requestParameters;
  if (r.eventSource === 'lambda.amazonaws.com' && LAMBDA_CODE.test(r.eventName)) {
    return str(q, 'functionName') ?? 'unknown';
  }
  // ModifyInstanceAttribute is persistence only when it sets the user data.
  if (r.eventSource === 'ec2.amazonaws.com' && r.eventName === 'ModifyInstanceAttribute') {
    return q?.userData === undefined ? null : (str(q, 'instanceId') ?? 'unknown');
  }
  const rule = RULES[r.eventSource]?.[r.eventName];
  if (rule === undefined) return null;
  return rule(q) ?? 'unknown';
}

/** One persistence call, denied ones included (an attempt says what the attacker wanted). */
export interface PersistenceCall {
  readonly eventTime: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly target: string;
  readonly errorCode?: string;
}

export function persistenceOf(r: CloudTrailRecord): PersistenceCall | undefined {
  const target = persistenceTargetOf(r);
  if (target === null) return undefined;
  return {
    eventTime: r.eventTime,
    eventName: r.eventName,
    eventSource: r.eventSource,
    target,
    ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode }),
  };
}
