import { HeadObjectCommand, PutObjectLegalHoldCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { z } from 'zod';
import { createEvidenceClients, createLedgerClients } from '../../lambdas/core/clients';
import { InvalidInputError } from '../../lambdas/core/errors';
import { verifyEvidence } from '../../lambdas/core/evidence/verify';
import { action } from '../../lambdas/core/isolation/engine-config';
import { updateQuarantine } from '../../lambdas/core/ledger/ledger';
import { IncidentId, Reason } from '../../lambdas/core/schemas/ids';
import type { CliContext } from '../context';
import { CheckFailedError } from '../errors';
import { byteProgress, countPartReads } from '../evidence/byte-progress';
import { downloadEvidence } from '../evidence/download';
import { listManifests, locateEvidence, vaultFrom } from '../evidence/locate';
import { renderManifest } from '../evidence/render';
import { restoreEvidence } from '../evidence/restore';
import type { ContextOf } from '../main';
import { formatBytes, renderTable } from '../table';
import { parseArg, parsePositiveInt } from '../validate';

const REF = '<incident>/<instance-id> or <incident>/<quarantine-id>';
type VaultOpts = { bucket?: string; prefix?: string; ledgerTable?: string };

async function setup(ctx: CliContext, cmd: Command) {
  const v = vaultFrom(cmd.optsWithGlobals<VaultOpts>());
  return { v, c: createEvidenceClients(await ctx.clientOptions()) };
}

/** Reviewer commands: direct S3/EBS access with the reviewer's own credentials, no API. */
export function registerEvidenceCommands(program: Command, contextOf: ContextOf): void {
  const evidence = program
    .command('evidence')
    .description('review preserved evidence: list, show, verify, download, legal hold, restore')
    .option('--bucket <name>', 'evidence vault bucket (default: env SEQUESTER_VAULT_BUCKET)')
    .option(
      '--prefix <prefix>',
      'evidence key prefix (default: env SEQUESTER_EVIDENCE_PREFIX or "evidence/")',
    )
    .option('--ledger-table <name>', 'ledger table, for legal hold (default: env SEQUESTER_LEDGER_TABLE)');

  evidence
    .command('list')
    .description('incidents, instances, volumes, sizes, retention and legal hold')
    .option('--incident <id>', 'only this incident')
    .action(async (o: { incident?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const incident = o.incident === undefined ? undefined : parseArg(IncidentId, o.incident, '--incident');
      const { v, c } = await setup(ctx, cmd);
      const found = await listManifests(c.s3, v, incident);
      const items = await Promise.all(
        found.map(async ({ key, manifest: m }) => ({
          incidentId: m.incidentId,
          instanceId: String(m.instance.instanceId),
          quarantineId: m.quarantineId,
          manifestKey: key,
          sealedAt: m.sealedAt,
          volumes: await Promise.all(
            m.volumes.map(async (vol) => {
              const img = vol.images[0];
              const head =
                img === undefined
                  ? undefined
                  : await c.s3.send(
                      new HeadObjectCommand({ Bucket: v.bucket, Key: img.key, VersionId: img.versionId }),
                    );
              return {
                volumeId: vol.volumeId,
                sizeGiB: vol.sizeGiB,
                images: vol.images.length,
                retainUntil: head?.ObjectLockRetainUntilDate?.toISOString() ?? null,
                retentionMode: head?.ObjectLockMode ?? null,
                legalHold: head?.ObjectLockLegalHoldStatus === 'ON',
              };
            }),
          ),
        })),
      );
      const rows = items.flatMap((i) =>
        i.volumes.map((vol) => ({
          incident: i.incidentId,
          instance: i.instanceId,
          quarantine: i.quarantineId,
          volume: vol.volumeId,
          size: `${vol.sizeGiB} GiB`,
          'retain until': `${vol.retentionMode ?? 'none'} ${vol.retainUntil ?? ''}`.trim(),
          'legal hold': vol.legalHold ? 'ON' : 'off',
        })),
      );
      ctx.print({ items }, () =>
        renderTable(rows, [
          'incident',
          'instance',
          'quarantine',
          'volume',
          'size',
          'retain until',
          'legal hold',
        ]),
      );
    });

  evidence
    .command('show')
    .description('the manifest and chain of custody of one instance, readable')
    .argument('<evidence>', REF)
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const { v, c } = await setup(ctx, cmd);
      const found = await locateEvidence(c.s3, v, ref);
      ctx.print(
        { manifestKey: found.key, manifestVersionId: found.versionId, manifest: found.manifest },
        () => renderManifest(v.bucket, found),
      );
    });

  evidence
    .command('verify')
    .description(
      're-read every image part and check it against the manifest and S3 checksums (exit 0 only if all match)',
    )
    .argument('<evidence>', REF)
    .option('--concurrency <n>', 'parts read at once', '8')
    .action(async (ref: string, o: { concurrency: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const concurrency = parsePositiveInt(o.concurrency, '--concurrency', 64);
      const { v, c } = await setup(ctx, cmd);
      const found = await locateEvidence(c.s3, v, ref);
      const images = found.manifest.volumes.flatMap((vol) => vol.images);
      const progress = byteProgress(
        ctx,
        'verify',
        images.reduce((n, i) => n + i.length, 0),
        images.reduce((n, i) => n + i.partCount, 0),
      );
      countPartReads(c.s3, progress);
      const report = await verifyEvidence(c.s3, v.bucket, found.key, {
        concurrency,
        ...(found.versionId === undefined ? {} : { versionId: found.versionId }),
      }).finally(() => progress.stop());
      const result = {
        ok: report.ok,
        manifestKey: found.key,
        objects: report.objects,
        problems: report.problems,
      };
      ctx.print(result, () =>
        [
          ...report.objects.map(
            (x) =>
              `${x.ok ? 'OK  ' : 'FAIL'} ${x.key}${x.retention?.mode ? `  ${x.retention.mode} until ${x.retention.until}` : ''}${x.legalHold === 'ON' ? '  legal hold ON' : ''}`,
          ),
          ...report.problems.map((p) => `problem: ${p}`),
          report.ok ? `verified: ${report.objects.length} objects match the manifest` : 'NOT VERIFIED',
        ].join('\n'),
      );
      if (!report.ok)
        throw new CheckFailedError(
          `verification failed: ${report.problems[0] ?? 'unknown'} (${report.problems.length} problems)`,
        );
    });

  evidence
    .command('download')
    .description(
      'parallel ranged download of the images, checked against the manifest as it streams; resumable',
    )
    .argument('<evidence>', REF)
    .requiredOption('--out <dir>', 'directory to write the images and manifest.json into')
    .option('--concurrency <n>', 'parts downloaded at once', '4')
    .option(
      '--sparse',
      'skip parts the manifest records as all zeros (written as holes, which read as zeros)',
    )
    .action(async (ref: string, o: { out: string; concurrency: string; sparse?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const concurrency = parsePositiveInt(o.concurrency, '--concurrency', 64);
      const { v, c } = await setup(ctx, cmd);
      const found = await locateEvidence(c.s3, v, ref);
      const images = found.manifest.volumes.flatMap((vol) => vol.images);
      const progress = byteProgress(
        ctx,
        'download',
        images.reduce((n, i) => n + i.length, 0),
        images.reduce((n, i) => n + i.partCount, 0),
      );
      const files = await downloadEvidence(
        c.s3,
        v.bucket,
        found,
        { out: o.out, concurrency, sparse: o.sparse === true },
        progress,
      ).finally(() => progress.stop());
      const ok = files.every((f) => f.mismatchedParts.length === 0);
      ctx.print({ ok, out: o.out, files }, () =>
        files
          .map(
            (f) =>
              `${f.mismatchedParts.length === 0 ? 'OK  ' : 'FAIL'} ${f.path}  ${formatBytes(f.bytes)} (downloaded ${f.partsDownloaded} parts, ${f.partsAlreadyPresent} already present, ${f.partsSkippedZero} zero)`,
          )
          .join('\n'),
      );
      const bad = files.find((f) => f.mismatchedParts.length > 0);
      if (bad !== undefined)
        throw new CheckFailedError(
          `${bad.path}: parts ${bad.mismatchedParts.join(', ')} do not match the manifest; run again to re-fetch them`,
        );
    });

  evidence
    .command('legal-hold')
    .description('turn S3 Object Lock legal hold on or off for every evidence object; recorded in the ledger')
    .argument('<evidence>', REF)
    .argument('<on|off>', 'on or off')
    .requiredOption('--reason <text>', 'why (recorded in the ledger)')
    .action(async (ref: string, onOff: string, o: { reason: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const status = parseArg(z.enum(['on', 'off'], { error: 'must be on or off' }), onOff, '<on|off>');
      const reason = parseArg(Reason, o.reason, '--reason');
      const table = cmd.optsWithGlobals<VaultOpts>().ledgerTable ?? process.env.SEQUESTER_LEDGER_TABLE;
      if (table === undefined || table === '')
        throw new InvalidInputError(
          '--ledger-table: no ledger table; pass --ledger-table or set SEQUESTER_LEDGER_TABLE',
          '--ledger-table',
        );
      const opts = await ctx.clientOptions();
      const { v, c } = await setup(ctx, cmd);
      const found = await locateEvidence(c.s3, v, ref);
      const m = found.manifest;
      const objects = [
        ...m.volumes.flatMap((vol) => vol.images.map((i) => ({ key: i.key, versionId: i.versionId }))),
        ...m.context.flatMap((x) => (x.key === undefined ? [] : [{ key: x.key, versionId: x.versionId }])),
        { key: found.key, versionId: found.versionId },
      ];
      for (const obj of objects) {
        await c.s3.send(
          new PutObjectLegalHoldCommand({
            Bucket: v.bucket,
            Key: obj.key,
            ...(obj.versionId === undefined ? {} : { VersionId: obj.versionId }),
            LegalHold: { Status: status === 'on' ? 'ON' : 'OFF' },
          }),
        );
      }
      const actor = (await new STSClient(opts).send(new GetCallerIdentityCommand({}))).Arn ?? 'unknown';
      await updateQuarantine(createLedgerClients(opts, table), m.quarantineId, {
        actions: [action(actor, 'legal-hold', 'ok', { status, reason, objects: objects.length })],
      });
      const result = { quarantineId: m.quarantineId, legalHold: status, objects: objects.length, actor };
      ctx.print(
        result,
        () =>
          `legal hold ${status.toUpperCase()} on ${objects.length} objects of ${m.incidentId}/${m.quarantineId} (recorded as ${actor})`,
      );
    });

  evidence
    .command('restore')
    .description(
      'write the images back into new EBS snapshots (EBS direct APIs) and volumes in --az, tagged as forensic copies',
    )
    .argument('<evidence>', REF)
    .requiredOption(
      '--az <zone>',
      'availability zone for the restored volumes (that of the analysis instance)',
    )
    .option('--concurrency <n>', 'parts restored at once', '4')
    .action(async (ref: string, o: { az: string; concurrency: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const az = parseArg(
        z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}[a-z]$/, 'must be an availability zone such as eu-west-1a'),
        o.az,
        '--az',
      );
      const concurrency = parsePositiveInt(o.concurrency, '--concurrency', 64);
      const { v, c } = await setup(ctx, cmd);
      const found = await locateEvidence(c.s3, v, ref);
      const images = found.manifest.volumes.flatMap((vol) => vol.images);
      const progress = byteProgress(
        ctx,
        'restore',
        images.reduce((n, i) => n + i.length, 0),
        images.reduce((n, i) => n + i.partCount, 0),
      );
      const restored = await restoreEvidence(c, v.bucket, found, { az, concurrency }, progress).finally(() =>
        progress.stop(),
      );
      ctx.print({ restored }, () =>
        restored
          .map(
            (r) =>
              `${r.sourceVolumeId} -> snapshot ${r.snapshotId} (${r.blocksWritten} blocks) -> volume ${r.volumeId ?? '?'} in ${az}`,
          )
          .join('\n'),
      );
    });
}
