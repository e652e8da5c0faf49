import { formatBytes, renderTable } from '../table';
import type { LocatedManifest } from './locate';

/** The manifest for people: what was preserved, where, under which lock, and who did what when. */
export function renderManifest(bucket: string, found: LocatedManifest): string {
  const m = found.manifest;
  const head = [
    `manifest     s3://${bucket}/${found.key}${found.versionId === undefined ? '' : ` (version ${found.versionId})`}`,
    `incident     ${m.incidentId}`,
    `quarantine   ${m.quarantineId}`,
    `instance     ${String(m.instance.instanceId)} (${String(m.instance.region)})`,
    `reason       ${m.reason}`,
    `trigger      ${m.trigger.kind} by ${m.actor}`,
    `sealed       ${m.sealedAt} by ${m.tool}`,
    `retention    ${m.retention.mode} until ${m.retention.until}; legal hold at sealing ${m.legalHold ? 'ON' : 'off'}`,
  ];
  const disks = renderTable(
    m.volumes.flatMap((v) =>
      v.images.map((i) => ({
        device: v.deviceName,
        volume: v.volumeId,
        snapshot: v.snapshotId,
        size: formatBytes(i.length),
        written: `${i.writtenBlocks} blocks`,
        parts: `${i.partCount} x ${formatBytes(i.partSize)}`,
        sha256: i.compositeSha256,
        image: i.key,
      })),
    ),
    ['device', 'volume', 'snapshot', 'size', 'written', 'parts', 'sha256', 'image'],
  );
  const context = renderTable(
    m.context.map((c) => ({ name: c.name, status: c.status, key: c.key ?? c.detail ?? '' })),
    ['name', 'status', 'key'],
  );
  const custody = renderTable(
    m.chainOfCustody.map((a) => ({ at: a.at, actor: a.actor, step: a.step, outcome: a.outcome })),
    ['at', 'actor', 'step', 'outcome'],
  );
  return [
    ...head,
    '',
    'disk images',
    disks,
    '',
    'context evidence',
    context,
    '',
    'chain of custody',
    custody,
  ].join('\n');
}
