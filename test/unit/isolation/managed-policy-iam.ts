import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  type IAMClientResolvedConfig,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  PutRolePolicyCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import type { AwsStub } from 'aws-sdk-client-mock';

type IamStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, IAMClientResolvedConfig>;

/** An AWS error as SDK v3 raises it: IAM's code with an `Exception` suffix as `name`. */
export const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

interface Version {
  readonly id: number;
  readonly document: string;
  readonly created: Date;
}

/**
 * The IAM behaviour the quarantine policy relies on, as the IAM API reference documents it, behind an
 * aws-sdk-client-mock stub (moto does not model concurrency): CreatePolicy fails with EntityAlreadyExists
 * for an existing name; a managed policy keeps at most five versions and CreatePolicyVersion fails with
 * LimitExceeded past that; the default version cannot be deleted (DeleteConflict); version ids grow
 * (`v1`, `v2`, ... never reused); documents come back URL-encoded; a document over 6,144 characters
 * (white space excluded) is LimitExceeded; a role takes at most 10 managed policies; inline policies of a
 * role share 10,240 characters. Every call yields to the event loop first, so concurrent callers
 * interleave as they do against the real service.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export class ManagedPolicyIam {
  public readonly policies = new Map<string, { versions: Version[]; defaultId: number; next: number }>();
  public readonly attached = new Map<string, Set<string>>();
  public readonly inline = new Map<string, Map<string, string>>();
  private clock = 0;

  public constructor(private readonly account = '123456789012') {}

  public install(stub: IamStub): void {
    const tick = () => new Promise((r) => setImmediate(r));
    const on = <I, O>(cmd: unknown, f: (input: I) => O) =>
      (stub.on as (c: unknown) => { callsFake(fn: (i: I) => Promise<O>): void })(cmd).callsFake(
        async (input: I) => {
          await tick();
          return f(input);
        },
      );
    on(CreatePolicyCommand, (i: { PolicyName: string; Path?: string; PolicyDocument: string }) => {
      const arn = `arn:aws:iam::${this.account}:policy${i.Path ?? '/'}${i.PolicyName}`;
      if (this.policies.has(arn)) throw awsError('EntityAlreadyExistsException');
      this.checkSize(i.PolicyDocument);
      this.policies.set(arn, { versions: [this.version(1, i.PolicyDocument)], defaultId: 1, next: 2 });
      return { Policy: { Arn: arn, DefaultVersionId: 'v1' } };
    });
    on(GetPolicyCommand, (i: { PolicyArn: string }) => {
      const p = this.get(i.PolicyArn);
      return { Policy: { Arn: i.PolicyArn, DefaultVersionId: `v${p.defaultId}` } };
    });
    on(GetPolicyVersionCommand, (i: { PolicyArn: string; VersionId: string }) => {
      const v = this.get(i.PolicyArn).versions.find((x) => `v${x.id}` === i.VersionId);
      if (v === undefined) throw awsError('NoSuchEntityException');
      return { PolicyVersion: { VersionId: i.VersionId, Document: encodeURIComponent(v.document) } };
    });
    on(ListPolicyVersionsCommand, (i: { PolicyArn: string }) => {
      const p = this.get(i.PolicyArn);
      return {
        Versions: p.versions.map((v) => ({
          VersionId: `v${v.id}`,
          IsDefaultVersion: v.id === p.defaultId,
          CreateDate: v.created,
        })),
      };
    });
    on(
      CreatePolicyVersionCommand,
      (i: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }) => {
        const p = this.get(i.PolicyArn);
        if (p.versions.length >= 5) throw awsError('LimitExceededException');
        this.checkSize(i.PolicyDocument);
        const id = p.next++;
        p.versions.push(this.version(id, i.PolicyDocument));
        if (i.SetAsDefault === true) p.defaultId = id;
        return { PolicyVersion: { VersionId: `v${id}`, IsDefaultVersion: i.SetAsDefault === true } };
      },
    );
    on(DeletePolicyVersionCommand, (i: { PolicyArn: string; VersionId: string }) => {
      const p = this.get(i.PolicyArn);
      const at = p.versions.findIndex((v) => `v${v.id}` === i.VersionId);
      if (at < 0) throw awsError('NoSuchEntityException');
      if (p.versions[at]?.id === p.defaultId) throw awsError('DeleteConflictException');
      p.versions.splice(at, 1);
      return {};
    });
    on(AttachRolePolicyCommand, (i: { RoleName: string; PolicyArn: string }) => {
      this.get(i.PolicyArn);
      const set = this.attached.get(i.RoleName) ?? new Set<string>();
      if (!set.has(i.PolicyArn) && set.size >= 10) throw awsError('LimitExceededException');
      set.add(i.PolicyArn);
      this.attached.set(i.RoleName, set);
      return {};
    });
    on(ListAttachedRolePoliciesCommand, (i: { RoleName: string }) => ({
      AttachedPolicies: [...(this.attached.get(i.RoleName) ?? [])].map((PolicyArn) => ({ PolicyArn })),
    }));
    on(PutRolePolicyCommand, (i: { RoleName: string; PolicyName: string; PolicyDocument: string }) => {
      const role = this.inline.get(i.RoleName) ?? new Map<string, string>();
      role.set(i.PolicyName, i.PolicyDocument);
      const total = [...role.values()].reduce((n, d) => n + d.replace(/\s/g, '').length, 0);
      if (total > 10240) throw awsError('LimitExceededException');
      this.inline.set(i.RoleName, role);
      return {};
    });
  }

  /** The default version's document of a policy, decoded. */
  public defaultDocument(arn: string): string {
    const p = this.get(arn);
    return p.versions.find((v) => v.id === p.defaultId)?.document ?? '';
  }

  public static client(): IAMClient {
    return new IAMClient({ region: 'eu-west-1' });
  }

  private version(id: number, document: string): Version {
    this.clock += 1;
    return { id, document, created: new Date(Date.UTC(2026, 0, 1) + this.clock * 1000) };
  }

  private checkSize(document: string): void {
    if (document.replace(/\s/g, '').length > 6144) throw awsError('LimitExceededException');
  }

  private get(arn: string) {
    const p = this.policies.get(arn);
    if (p === undefined) throw awsError('NoSuchEntityException');
    return p;
  }
}
