import { randomBytes } from 'node:crypto';
import type { DemoAccount } from './demo-account';
import template from './fixtures/guardduty-backdoor-finding.json';

/**
 * The GuardDuty finding EventBridge would deliver for the demo's web server: the real event format
 * (fixtures/guardduty-backdoor-finding.json, a Backdoor:EC2/C&CActivity.B!DNS finding) pointed at the
 * emulator's instance, with a fresh finding id and timestamps.
 */
export function findingFor(account: DemoAccount, now = new Date()): typeof template {
  const event = structuredClone(template);
  const id = randomBytes(16).toString('hex');
  const at = now.toISOString();
  const d = event.detail;
  d.id = id;
  d.arn = d.arn.replace(/finding\/[0-9a-f]+$/, `finding/${id}`);
  d.createdAt = at;
  d.updatedAt = at;
  d.service.eventLastSeen = at;
  d.resource.instanceDetails.instanceId = account.scenario.instanceId;
  d.title = d.title.replace(/i-[0-9a-f]+/, account.scenario.instanceId);
  d.description = d.description.replace(/i-[0-9a-f]+/, account.scenario.instanceId);
  event.time = at.replace(/\.\d{3}Z$/, 'Z');
  return event;
}
