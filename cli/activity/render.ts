import { escapeUntrusted } from '../../lambdas/core/intake/untrusted-text';
import type { ActivityReport } from '../../lambdas/core/investigation/activity/report';
import { formatBytes, renderTable } from '../table';

/** Record fields are chosen by whoever holds the credentials (user agents, key names): escaped for the terminal. */
const safe = (v: string | null | undefined, max = 80) => escapeUntrusted(v ?? '', max) ?? '';

function coverageLines(c: ActivityReport['coverage']): string[] {
  const data =
    c.dataEvents.enabled === 'unknown'
      ? `unknown (${c.dataEvents.basis}, ${c.dataEvents.seen} seen)`
      : `${c.dataEvents.enabled ? 'on' : 'off'} (${c.dataEvents.basis}, ${c.dataEvents.seen} seen)`;
  const lines = [
    `source:       ${c.source}`,
    `regions:      ${c.regions.join(', ') || '(none)'}`,
    `accounts:     ${c.accounts.join(', ') || '(none)'}`,
    `files read:   ${c.files} (${c.filesMalformed.length} malformed, skipped)`,
    `records:      ${c.recordsInWindow} in the window`,
    `data events:  ${data}`,
    `logging:      ${c.logging.isLogging === 'unknown' ? 'unknown' : c.logging.isLogging ? 'on' : 'OFF'} (${c.logging.basis})`,
  ];
  if (c.digests !== undefined) {
    const d = c.digests;
    lines.push(
      `digests:      ${d.valid}/${d.digests} valid, ${d.coveredFiles.length} files covered, ${d.breaks.length} breaks`,
    );
  }
  for (const m of c.filesMalformed) lines.push(`  malformed: ${safe(m.key, 200)}: ${safe(m.problem)}`);
  return lines;
}

/** The readable report of `sequester activity` (without --json). */
export function renderActivity(r: ActivityReport): string {
  const sections = [
    `Activity of ${r.principalId}`,
    `window: ${r.window.since} .. ${r.window.until}`,
    '',
    ...coverageLines(r.coverage),
    '',
    `events: ${r.events} (${r.directEvents} by the instance session, ${r.deniedEvents} denied)`,
    `origins: instance ${r.origins.instance}, aws-service ${r.origins['aws-service']}, other ${r.origins.other}`,
    `ec2RoleDelivery: ${
      Object.entries(r.ec2RoleDelivery)
        .map(([v, n]) => `${v} x${n}`)
        .join(', ') || '(none)'
    }`,
    `user agents: ${
      r.userAgents
        .slice(0, 5)
        .map((u) => `${safe(u.userAgent, 60)} x${u.count}`)
        .join('; ') || '(none)'
    }`,
    '',
    'Derived sessions',
    renderTable(
      r.derivedSessions.map((s) => ({
        depth: s.depth,
        via: s.via,
        time: s.eventTime,
        key: s.accessKeyId,
        arn: safe(s.arn),
        events: s.events,
      })),
      ['depth', 'via', 'time', 'key', 'arn', 'events'],
    ),
    '',
    'Calls from other networks',
    renderTable(
      r.other.map((o) => ({
        time: o.eventTime,
        call: `${o.eventSource.replace('.amazonaws.com', '')}:${o.eventName}`,
        source: safe(o.sourceIPAddress),
        error: o.errorCode,
      })),
      ['time', 'call', 'source', 'error'],
    ),
    '',
    'Touched data',
    renderTable(
      r.touched.map((t) => ({
        call: `${t.eventSource.replace('.amazonaws.com', '')}:${t.eventName}`,
        resource: safe(t.resource, 120),
        count: t.count,
        bytesOut: t.bytesTransferredOut === null ? '' : formatBytes(t.bytesTransferredOut),
      })),
      ['call', 'resource', 'count', 'bytesOut'],
    ),
    '',
    'Persistence',
    renderTable(
      r.persistence.map((p) => ({
        time: p.eventTime,
        call: p.eventName,
        target: safe(p.target),
        error: p.errorCode,
      })),
      ['time', 'call', 'target', 'error'],
    ),
  ];
  return sections.join('\n');
}
