import type { Command } from 'commander';
import * as z from 'zod/mini';
import { IncidentId, Reason } from '../../lambdas/core/schemas/ids';
import type { CliContext } from '../context';
import { CheckFailedError } from '../errors';
import type { ContextOf } from '../main';
import { formatBytes } from '../table';
import { parseArg, parsePositiveInt } from '../validate';

const REF = '<incident>/<instance-id> or <incident>/<quarantine-id>';
type VaultOpts = { bucket?: string; prefix?: string; ledgerTable?: string };

/**
 * The vault, the S3/EBS/EC2 clients and the evidence modules. Imported when a command runs, not when
 * the CLI starts: the SDK clients are most of the CLI's code, and --help or intake need none of them.
 */
async function setup(ctx: CliContext, cmd: Command) {
  const [{ createEvidenceClients }, locate, archived, progress] = await Promise.all([
    import('../../lambdas/core/clients'),
    import('../evidence/locate'),
    import('../evidence/archived'),
    import('../evidence/byte-progress'),
  ]);
  const v = locate.vaultFrom(cmd.optsWithGlobals<VaultOpts>());
  return { v, c: createEvidenceClients(await ctx.clientOptions()), ...locate, ...archived, ...progress };
}

/** Reviewer commands: direct S3/EBS access with the reviewer's own credentials, no API. */
export function registerEvidenceCommands(program: Command, contextOf: ContextOf): void {
  const evidence = program
    .command('evidence')
    .description(
      'review preserved evidence: list, show, verify, download, legal hold, restore, restore-archive',
    )
    .option('--bucket <name>', 'evidence vault bucket (default: env SEQUESTER_VAULT_BUCKET)')
    .option(
      '--prefix <prefix>',
      'evidence key prefix (default: env SEQUESTER_EVIDENCE_PREFIX or "evidence/")',
    )
    .option(
      '--ledger-table <name>',
      'ledger table, where legal hold and download record custody (default: env SEQUESTER_LEDGER_TABLE)',
    );

  evidence
    .command('list')
    .description('incidents, instances, volumes, sizes, retention and legal hold')
    .option('--incident <id>', 'only this incident')
    .action(async (o: { incident?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const incident = o.incident === undefined ? undefined : parseArg(IncidentId, o.incident, '--incident');
      const { v, c } = await setup(ctx, cmd);
      const { evidenceInventory, renderInventory } = await import('../evidence/inventory');
      const items = await evidenceInventory(c.s3, v, incident);
      ctx.print({ items }, () => renderInventory(items));
    });

  evidence
    .command('show')
    .description('the manifest and chain of custody of one instance, readable')
    .argument('<evidence>', REF)
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const { v, c, locateEvidence } = await setup(ctx, cmd);
      const { renderManifest } = await import('../evidence/render');
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
      const { v, c, locateEvidence, manifestProgress, countPartReads, ArchivedEvidenceError } = await setup(
        ctx,
        cmd,
      );
      const { verifyEvidence } = await import('../../lambdas/core/evidence/verify');
      const found = await locateEvidence(c.s3, v, ref);
      const progress = manifestProgress(ctx, 'verify', found.manifest);
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
      if (report.archived.length > 0)
        throw new ArchivedEvidenceError(
          report.archived,
          `${found.manifest.incidentId}/${found.manifest.quarantineId}`,
        );
      if (!report.ok)
        throw new CheckFailedError(
          `verification failed: ${report.problems[0] ?? 'unknown'} (${report.problems.length} problems)`,
        );
    });

  evidence
    .command('download')
    .description(
      "parallel ranged download of the images, checked against the manifest as it streams; resumable; prints each image's SHA-256 and records it in the ledger",
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
      const { ledgerTableFrom, recordDownload } = await import('../evidence/custody');
      // Checked before any byte moves: a download the chain of custody cannot record does not start.
      const table = ledgerTableFrom(cmd.optsWithGlobals<VaultOpts>().ledgerTable);
      const { v, c, locateEvidence, assertNotArchived, manifestProgress } = await setup(ctx, cmd);
      const { downloadEvidence } = await import('../evidence/download');
      const found = await locateEvidence(c.s3, v, ref);
      await assertNotArchived(c.s3, v.bucket, found);
      const progress = manifestProgress(ctx, 'download', found.manifest);
      const files = await downloadEvidence(
        c.s3,
        v.bucket,
        found,
        { out: o.out, concurrency, sparse: o.sparse === true },
        progress,
      ).finally(() => progress.stop());
      const bad = files.find((f) => f.mismatchedParts.length > 0);
      const custody =
        bad === undefined
          ? await recordDownload(
              { opts: await ctx.clientOptions(), table },
              found.manifest.quarantineId,
              files,
            )
          : undefined;
      ctx.print(
        { ok: bad === undefined, out: o.out, files, ...(custody === undefined ? {} : { custody }) },
        () =>
          [
            ...files.map(
              (f) =>
                `${f.mismatchedParts.length === 0 ? 'OK  ' : 'FAIL'} ${f.path}  ${formatBytes(f.bytes)} (downloaded ${f.partsDownloaded} parts, ${f.partsAlreadyPresent} already present, ${f.partsSkippedZero} zero)`,
            ),
            // `sha256sum -c` reads these lines as they are.
            ...files.flatMap((f) => (f.sha256 === undefined ? [] : [`${f.sha256}  ${f.path}`])),
            ...(custody === undefined ? [] : [`recorded in the ledger: downloaded by ${custody.actor}`]),
          ].join('\n'),
      );
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
      const { ledgerTableFrom } = await import('../evidence/custody');
      const table = ledgerTableFrom(cmd.optsWithGlobals<VaultOpts>().ledgerTable);
      const opts = await ctx.clientOptions();
      const { v, c, locateEvidence } = await setup(ctx, cmd);
      const { setLegalHold } = await import('../evidence/legal-hold');
      const found = await locateEvidence(c.s3, v, ref);
      const result = await setLegalHold(c.s3, { bucket: v.bucket, found, status, reason }, { opts, table });
      ctx.print(
        result,
        () =>
          `legal hold ${status.toUpperCase()} on ${result.objects} objects of ${found.manifest.incidentId}/${result.quarantineId} (recorded as ${result.actor})`,
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
          .check(
            z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}[a-z]$/, 'must be an availability zone such as eu-west-1a'),
          ),
        o.az,
        '--az',
      );
      const concurrency = parsePositiveInt(o.concurrency, '--concurrency', 64);
      const { v, c, locateEvidence, assertNotArchived, manifestProgress } = await setup(ctx, cmd);
      const { restoreEvidence } = await import('../evidence/restore');
      const found = await locateEvidence(c.s3, v, ref);
      await assertNotArchived(c.s3, v.bucket, found);
      const progress = manifestProgress(ctx, 'restore', found.manifest);
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

  evidence
    .command('restore-archive')
    .description(
      'start restoring every archived (GLACIER, DEEP_ARCHIVE) evidence object of a quarantine, so verify, download and restore can read it',
    )
    .argument('<quarantine>', '<quarantine-id> or <incident>/<quarantine-id>')
    .option('--days <n>', 'days the restored copies stay readable', '7')
    .option(
      '--tier <tier>',
      'Standard (hours) or Bulk (cheaper, up to two days for DEEP_ARCHIVE)',
      'Standard',
    )
    .action(async (ref: string, o: { days: string; tier: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const days = parsePositiveInt(o.days, '--days', 365);
      const tier = parseArg(
        z.enum(['Standard', 'Bulk'], { error: 'must be Standard or Bulk' }),
        o.tier,
        '--tier',
      );
      const { v, c } = await setup(ctx, cmd);
      const { restoreArchive } = await import('../evidence/restore-archive');
      const r = await restoreArchive(c.s3, v, ref, { days, tier });
      ctx.print(r, () =>
        [
          ...r.started.map((k) => `started          ${k}`),
          ...r.inProgress.map((k) => `in progress      ${k}`),
          ...r.alreadyRestored.map((k) => `already restored ${k}`),
          `${r.quarantineId}: ${r.started.length} started, ${r.inProgress.length} already in progress, ${r.alreadyRestored.length} already restored, ${r.notArchived} not archived`,
        ].join('\n'),
      );
    });
}
