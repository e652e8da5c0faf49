import { bytesText, countText, SECTION_TITLES as T, UNKNOWN_SECTION } from './display';
import type { BreachReport } from './document';
import { escapeMarkdown as md } from './escape';
import type { MarkdownWriter } from './markdown-writer';

/** The Markdown sections that state facts: banner, title, summary, timeline, containment, evidence, reach, activity. */
export function factSections(w: MarkdownWriter, r: BreachReport): void {
  const { out, when, cite, table, h2 } = w;
  const i = r.incident;
  if (r.privilegeBanner !== null) out.push(`> **${md(r.privilegeBanner)}**`, '');
  out.push(`# Breach report: incident ${md(i.incidentId)}, instance ${md(i.instanceId)}`, '');
  out.push(
    `${md(r.organisation)} · generated ${when(r.generatedAt)} · quarantine ${md(i.quarantineId)} · state ${md(i.state)} · report format v${r.reportVersion}`,
  );

  h2(T.summary);
  for (const s of r.summary) out.push(`${md(s.text)}${cite(s.evidence)}`, '');

  h2(T.timeline);
  out.push(
    ...table(
      ['Milestone', 'When', 'Detail', 'Evidence'],
      r.timeline.map((t) => [md(t.label), when(t.at), md(t.detail), cite(t.evidence)]),
    ),
  );

  h2(T.containment);
  out.push(
    ...table(
      ['When', 'Who', 'What', 'Outcome', 'AWS request ids', 'Evidence'],
      r.containment.map((a) => [
        when(a.at),
        md(a.actor),
        md(a.step),
        md(a.outcome),
        md(a.requestIds.join(', ')),
        cite(a.evidence),
      ]),
    ),
  );

  h2(T.evidence);
  const e = r.evidence;
  if (e.status === 'unknown') out.push(md(UNKNOWN_SECTION));
  else {
    out.push(
      `Sealed ${when(e.sealedAt)}; retention ${md(e.retention?.mode ?? 'unknown')} until ${md(e.retention?.until ?? 'unknown')}; legal hold ${e.legalHold === true ? 'ON' : 'off'}.${cite(e.evidence)}`,
      '',
      '### Disk images',
      '',
    );
    out.push(
      ...table(
        [
          'Volume',
          'Device',
          'Snapshot',
          'Vault key',
          'Version',
          'Size',
          'SHA-256 (composite)',
          'Retain until',
          'Legal hold',
        ],
        e.images.map((x) => [
          md(x.volumeId),
          md(x.deviceName),
          md(x.snapshotId),
          md(x.key),
          md(x.versionId),
          md(bytesText(x.bytes)),
          md(x.compositeSha256),
          md(x.retainUntil),
          x.legalHold ? 'on' : 'off',
        ]),
      ),
    );
    out.push('', '### Context evidence', '');
    out.push(
      ...table(
        ['Name', 'Status', 'Vault key', 'Version', 'SHA-256', 'Detail'],
        e.context.map((x) => [
          md(x.name),
          md(x.status),
          md(x.key ?? '—'),
          md(x.versionId ?? '—'),
          md(x.sha256 ?? '—'),
          md(x.detail ?? ''),
        ]),
      ),
    );
  }

  h2(T.reach);
  const re = r.reach;
  if (re.status === 'unknown') out.push(md(UNKNOWN_SECTION));
  else {
    const after = re.reachableAfter === 0 ? '0' : `${countText(re.reachableAfter)} (ALARM)`;
    out.push(
      `Data stores readable before isolation: ${countText(re.reachableBefore)} (from the internet with the stolen credentials: ${countText(re.reachableFromInternet)}); after isolation: ${after}.${cite(re.evidence)}`,
      '',
      '### Classified stores reachable before isolation',
      '',
    );
    out.push(
      ...table(
        ['Store', 'Type', 'Classification', 'Via role', 'Before', 'After'],
        re.classified.map((s) => [
          md(s.arn),
          md(s.type),
          md(s.classification),
          md(s.via),
          md(s.before),
          md(s.after),
        ]),
      ),
    );
    if (re.alarms.length > 0) out.push('', '### Alarms', '', ...re.alarms.map((a) => `- ${md(a)}`));
  }

  h2(T.activity);
  const a = r.activity;
  if (a.status === 'unknown') out.push(md(UNKNOWN_SECTION));
  else {
    out.push(
      `CloudTrail window ${when(a.window?.since ?? null)} to ${when(a.window?.until ?? null)} (${md(a.pass ?? '')} pass). Calls with IMDSv1-delivered credentials: ${countText(a.imdsV1Deliveries)}.${cite(a.evidence)}`,
      '',
      '### Touched data',
      '',
    );
    out.push(
      ...table(
        ['Resource', 'Call', 'Service', 'Count', 'Bytes out'],
        a.touched.map((t) => [
          md(t.resource),
          md(t.eventName),
          md(t.eventSource),
          String(t.count),
          md(bytesText(t.bytes)),
        ]),
      ),
    );
    out.push('', '### Calls from outside the instance', '');
    out.push(
      ...table(
        ['When', 'Call', 'Source address', 'User agent', 'Error'],
        a.fromOutside.map((o) => [
          when(o.eventTime),
          md(o.eventName),
          md(o.sourceIPAddress),
          md(o.userAgent ?? '—'),
          md(o.errorCode ?? ''),
        ]),
      ),
    );
    out.push('', '### Persistence attempts', '');
    out.push(
      ...table(
        ['When', 'Call', 'Target', 'Error'],
        a.persistence.map((x) => [when(x.eventTime), md(x.eventName), md(x.target), md(x.errorCode ?? '')]),
      ),
    );
  }
}
