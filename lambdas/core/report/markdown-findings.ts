import { bytesText, SECTION_TITLES as T, timeText, UNKNOWN_SECTION } from './display';
import type { BreachReport } from './document';
import { escapeMarkdown as md } from './escape';
import type { MarkdownWriter } from './markdown-writer';

/** The Markdown sections that interpret: exposure, secrets, hypotheses, exfiltration, unknowns, clocks, index. */
export function findingSections(w: MarkdownWriter, r: BreachReport): void {
  const { out, when, cite, table, h2, ix } = w;
  const zone = w.zone;
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
}
