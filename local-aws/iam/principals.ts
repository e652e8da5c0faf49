import type { PolicyDocument } from '../../policies/policy-document';

export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** A signed-in identity: a role session, with the role's policies. */
export interface Principal {
  readonly kind: 'session';
  readonly arn: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly policies: ReadonlyArray<NamedPolicy>;
}

/**
 * The administrator / test operator: the identity that builds scenarios (VPCs, instances, vaults) the way
 * the deployer and the workload's owners do on AWS. It is allowed everything and never evaluated, and the
 * sessions it assumes are administrators too. LOCAL_CREDENTIALS (local-aws/moto-server.ts) is this one.
 */
export interface Administrator {
  readonly kind: 'admin';
}

/** A role as the stack declares it: trust policy and identity policies. */
export interface RoleDefinition {
  readonly roleArn: string;
  readonly accountId: string;
  readonly trust: PolicyDocument;
  readonly policies: ReadonlyArray<NamedPolicy>;
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';
const nameOf = (roleArn: string) => roleArn.slice(roleArn.lastIndexOf('/') + 1);

/** The principal of a session of a role: `arn:<p>:sts::<account>:assumed-role/<name>/<session>`. */
export function sessionOf(role: RoleDefinition, sessionName: string): Principal {
  const partition = role.roleArn.split(':')[1] ?? 'aws';
  return {
    kind: 'session',
    arn: `arn:${partition}:sts::${role.accountId}:assumed-role/${nameOf(role.roleArn)}/${sessionName}`,
    accountId: role.accountId,
    roleArn: role.roleArn,
    policies: role.policies,
  };
}

/**
 * Who holds which access key, and which roles exist to be assumed. Roles are (re)defined by the
 * harness from the pure policy functions in policies/; keys of assumed sessions are added when the
 * enforcer sees AssumeRole succeed.
 */
export class Principals {
  private readonly keys = new Map<
    string,
    Principal | Administrator | { kind: 'role'; roleArn: string; session: string }
  >();
  private readonly roles = new Map<string, RoleDefinition>();
  private readonly policies = new Map<string, PolicyDocument>();
  private pending: Promise<unknown> = Promise.resolve();

  /** Holds requests until an asynchronous (re)definition has landed (resolving a key ARN, for instance). */
  public track(work: Promise<unknown>): void {
    const before = this.pending;
    this.pending = Promise.all([before, work.catch(() => undefined)]);
  }

  public ready(): Promise<unknown> {
    return this.pending;
  }

  /** The administrator's key (allowed everything). */
  public admin(accessKeyId: string): void {
    this.keys.set(accessKeyId, { kind: 'admin' });
  }

  public defineRole(role: RoleDefinition): void {
    this.roles.set(role.roleArn, role);
  }

  /**
   * A resource policy the stack puts on a resource (the vault bucket policy), held here rather than in
   * moto: moto applies a bucket policy's Deny statements itself and ignores their conditions
   * (moto/s3/responses.py, `bucket.get_permission`), which would refuse every request to the vault.
   */
  public definePolicy(resourceArn: string, policy: PolicyDocument): void {
    this.policies.set(resourceArn, policy);
  }

  public policyOf(resourceArn: string): PolicyDocument | undefined {
    return this.policies.get(resourceArn);
  }

  public role(roleArn: string): RoleDefinition | undefined {
    return this.roles.get(roleArn);
  }

  /** Gives a key to a session of a defined role (its policies are read at each request, so redefining applies). */
  public bindKey(accessKeyId: string, roleArn: string, session: string): void {
    this.keys.set(accessKeyId, { kind: 'role', roleArn, session });
  }

  /** The holder of a key; undefined for a key nobody issued (AWS: InvalidClientTokenId). */
  public of(accessKeyId: string): Principal | Administrator | undefined {
    const k = this.keys.get(accessKeyId);
    if (k === undefined || k.kind !== 'role') return k;
    const role = this.roles.get(k.roleArn);
    return role === undefined ? undefined : sessionOf(role, k.session);
  }
}

export { accountOf };
