import { bytesText, countText, SECTION_TITLES as T, timeText, UNKNOWN_SECTION } from './display';
import type { BreachReport, EvidenceRef } from './document';
import { escapeMarkdown as md } from './escape';
import { EvidenceIndex } from './evidence-index';

/**
 * The report as GitHub-flavoured Markdown, same sections and order as the HTML page. Every value is
 * escaped with `escapeMarkdown` (values never start a line: they follow a list marker, a table pipe or a
 * label), so text from the instance cannot become a link, an image, HTML or a new table cell.
 */
export function renderMarkdown(r: BreachReport): string {
  const ix = new EvidenceIndex(r);
  const zone = r.timeZone;
  const when = (iso: string | null) => md(timeText(iso, zone));
  const cite = (e: ReadonlyArray<EvidenceRef>) => {
    const l = ix.labels(e);
    return l.length === 0 ? '' : ` [${l.join(', ')}]`;
  };
  const table = (headers: string[], rows: string[][]) =>
    rows.length === 0
      ? ['_None recorded._']
      : [
          `| ${headers.join(' | ')} |`,
          `|${headers.map(() => ' --- ').join('|')}|`,
          ...rows.map((x) => `| ${x.join(' | ')} |`),
        ];
  const out: string[] = [];
  const h2 = (t: string) => out.push('', `## ${t}`, '');
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

  h2(T.exposure);
  if (r.exposure.status === 'unknown') out.push(md(UNKNOWN_SECTION));
  else
    out.push(
      ...table(
        ['Fact', 'Value'],
        r.exposure.facts.map((f) => [md(f.label), md(f.value)]),
      ),
      '',
      `Source:${cite(r.exposure.evidence)}`,
    );

  h2(T.secrets);
  if (r.secrets.status === 'unknown') out.push(md(UNKNOWN_SECTION));
  else
    out.push(
      ...table(
        ['Volume', 'Offset', 'Kind', 'Preview', 'Owner'],
        r.secrets.findings.map((f) => [
          md(f.volumeId),
          String(f.offset),
          md(f.kind),
          md(f.preview),
          md(f.owner),
        ]),
      ),
      '',
      `Source:${cite(r.secrets.evidence)}`,
    );

  h2(T.hypotheses);
  if (r.hypotheses.length === 0) out.push('No entry hypothesis has support in the recorded facts: unknown.');
  for (const h of r.hypotheses) {
    out.push(`### ${h.rank}\\. ${md(h.title)} (${h.strength})`, '', 'Supporting facts:', '');
    out.push(
      ...h.supporting.map((s) => `- ${md(s.fact)}${cite(s.evidence)}`),
      '',
      'What would confirm it:',
      '',
    );
    out.push(...h.toConfirm.map((t) => `- ${md(t)}`), '');
  }

  h2(T.exfiltration);
  const x = r.exfiltration;
  out.push(
    ...table(
      ['Estimate', 'Bytes'],
      [
        ['Read from S3 (CloudTrail data events)', md(bytesText(x.s3BytesRead))],
        ['Left the VPC (flow logs)', md(bytesText(x.bytesOutsideVpc))],
        ['To the internet (flow logs)', md(bytesText(x.bytesToInternet))],
      ],
    ),
  );
  out.push(
    '',
    `${x.disagreement ? '**The two sources disagree.** ' : ''}${md(x.statement)}${cite(x.evidence)}`,
  );

  h2(T.unknowns);
  out.push(
    ...(r.unknowns.length === 0
      ? ['_None recorded._']
      : r.unknowns.map((u) => `- **${md(u.area)}:** ${md(u.finding)}${cite(u.evidence)}`)),
  );

  h2(T.clocks);
  const k = r.clocks;
  out.push(`> ${md(k.disclaimer)}`, '', `Awareness: ${when(k.awarenessAt)} (${md(k.awarenessBasis)}).`, '');
  const local = zone === 'UTC' ? [] : [`Due (${md(zone)})`];
  out.push(
    ...table(
      ['Regime', 'Obligation', 'Clock starts at', 'Due (UTC)', ...local, 'Rule', 'Citation', 'Note'],
      k.rows.map((c) => [
        md(c.jurisdiction),
        md(c.obligation),
        `${md(c.startsFrom)}: ${when(c.startAt)}`,
        c.dueAt === null ? 'unknown' : md(timeText(c.dueAt, 'UTC')),
        ...(zone === 'UTC' ? [] : [md(c.dueLocal ?? '—')]),
        md(c.rule),
        `<${c.citation}>`,
        md(c.note ?? ''),
      ]),
    ),
  );

  h2(T.index);
  out.push(
    ...table(
      ['Ref', 'Where', 'Key', 'Version', 'SHA-256'],
      ix
        .entries()
        .map((y) => [
          y.label,
          y.source === 'vault' ? 'evidence vault (S3)' : 'ledger (DynamoDB)',
          md(y.key),
          md(y.versionId ?? '—'),
          md(y.sha256 ?? '—'),
        ]),
    ),
  );
  return `${out.join('\n')}\n`;
}
