import type { IsolationClients } from '../clients';
import type { QuarantineRequest } from '../schemas/quarantine-request';
import type { EngineConfig } from './engine-config';
import { naclDenySkipReason } from './nacl-deny';
import { SPOT_NO_TERMINATION_PROTECTION } from './protect-instance';
import { findGroups, groupName, quarantineGroupName } from './quarantine-groups';
import { profileNameFromArn, quarantinePolicyArnFor } from './revoke-credentials';
import { captureAttachments } from './service-attachments';
import { assertNotExempt, describeTarget, eniCidrs } from './target-instance';

/** One AWS call a real run would make. */
export interface PlannedCall {
  readonly step: string;
  readonly operation: string;
  readonly target: string;
}

export interface IsolationPlan {
  readonly instanceId: string;
  readonly vpcId: string;
  readonly calls: ReadonlyArray<PlannedCall>;
}

/**
 * Dry run: reads everything a real run reads, applies the same refusals, and lists the calls it would
 * make. Makes no change and writes no ledger record.
 */
export async function planIsolation(
  c: IsolationClients,
  req: QuarantineRequest,
  cfg: EngineConfig,
): Promise<IsolationPlan> {
  const t = await describeTarget(c.ec2, req);
  assertNotExempt(t, req, cfg.exemptionTagKey);
  const names = [groupName(t.vpcId, 'untracked'), quarantineGroupName(t.vpcId, req.options.forensicCidrs)];
  const [groups, a] = await Promise.all([findGroups(c.ec2, t.vpcId, names), captureAttachments(c, t)]);
  const calls: PlannedCall[] = [];
  const add = (step: string, operation: string, target: string) => calls.push({ step, operation, target });
  for (const name of names) if (!groups.has(name)) add('network-cut', 'ec2:CreateSecurityGroup', name);
  const [untracked, quarantine] = names.map((n) => groups.get(n)?.GroupId ?? n);
  for (const e of t.enis)
    add('network-cut', 'ec2:ModifyNetworkInterfaceAttribute', `${e.eniId} -> ${untracked}`);
  for (const e of t.enis)
    add('network-cut', 'ec2:ModifyNetworkInterfaceAttribute', `${e.eniId} -> ${quarantine}`);
  if (req.options.forensicCidrs.length > 0)
    add(
      'network-cut',
      'ec2:AuthorizeSecurityGroupIngress',
      `${quarantine}: SSH from ${req.options.forensicCidrs.join(', ')}`,
    );
  if (a.profileAssociation !== undefined) {
    const profile = profileNameFromArn(a.profileAssociation.instanceProfileArn);
    const policyArn = quarantinePolicyArnFor(t.instanceArn);
    add(
      'revoke-credentials',
      'iam:CreatePolicyVersion',
      `${policyArn}: list ${t.instanceArn} (iam:CreatePolicy on the account's first quarantine)`,
    );
    add('revoke-credentials', 'iam:AttachRolePolicy', `role of ${profile}: ${policyArn}`);
    add('revoke-credentials', 'ec2:DisassociateIamInstanceProfile', a.profileAssociation.associationId);
  }
  if (a.autoScalingGroup !== undefined)
    add('detach-from-service', 'autoscaling:DetachInstances', a.autoScalingGroup);
  for (const x of a.targets)
    add(
      'detach-from-service',
      'elasticloadbalancing:DeregisterTargets',
      x.id === undefined ? x.targetGroupArn : `${x.targetGroupArn}: ${x.id}:${x.port ?? ''}`,
    );
  if (t.lifecycle === 'spot')
    add('protect-instance', 'skipped', `${t.instanceId}: ${SPOT_NO_TERMINATION_PROTECTION}`);
  else add('protect-instance', 'ec2:ModifyInstanceAttribute', `${t.instanceId} DisableApiTermination=true`);
  add(
    'protect-instance',
    'ec2:ModifyInstanceAttribute',
    `${t.instanceId} InstanceInitiatedShutdownBehavior=stop`,
  );
  add('protect-instance', 'ec2:CreateTags', t.instanceId);
  if (naclDenySkipReason(req.options) === undefined) {
    const addrs = t.enis.flatMap(eniCidrs);
    add(
      'nacl-deny',
      'ec2:CreateNetworkAclEntry',
      `every network ACL of ${t.vpcId}: deny ${addrs.join(', ')} both directions`,
    );
  }
  if (req.options.stopInstance) add('stop-instance', 'ec2:StopInstances', t.instanceId);
  return { instanceId: t.instanceId, vpcId: t.vpcId, calls };
}
