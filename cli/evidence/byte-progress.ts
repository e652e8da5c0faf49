import type { S3Client } from '@aws-sdk/client-s3';
import { Presets, SingleBar } from 'cli-progress';
import type { Manifest } from '../../lambdas/core/evidence/manifest';
import type { CliContext } from '../context';
import { formatBytes } from '../table';

export interface ByteProgress {
  add(bytes: number, parts: number): void;
  stop(): void;
}

/** A progress bar sized to every image the manifest lists (verify, download and restore read them all). */
export function manifestProgress(ctx: CliContext, label: string, manifest: Manifest): ByteProgress {
  const images = manifest.volumes.flatMap((vol) => vol.images);
  return byteProgress(
    ctx,
    label,
    images.reduce((n, i) => n + i.length, 0),
    images.reduce((n, i) => n + i.partCount, 0),
  );
}

/**
 * Bytes and parts done, for verify, download and restore. A bar on a terminal; otherwise a plain line
 * at every 10 % so logs stay short. Nothing on stdout: that is for the result.
 */
export function byteProgress(
  ctx: CliContext,
  label: string,
  totalBytes: number,
  totalParts: number,
): ByteProgress {
  let bytes = 0;
  let parts = 0;
  let lastDecile = -1;
  const tty = process.stderr.isTTY === true && !ctx.opts.json;
  const bar = tty
    ? new SingleBar(
        {
          format: ` ${label} {bar} {percentage}% | {done} / {all} | parts {parts}/${totalParts}`,
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(Math.max(totalBytes, 1), 0, { done: formatBytes(0), all: formatBytes(totalBytes), parts: 0 });
  return {
    add(b, p) {
      bytes += b;
      parts += p;
      bar?.update(bytes, { done: formatBytes(bytes), all: formatBytes(totalBytes), parts });
      const decile = Math.floor((bytes / Math.max(totalBytes, 1)) * 10);
      if (bar === undefined && decile > lastDecile) {
        lastDecile = decile;
        ctx.note(
          `${label}: ${formatBytes(bytes)} of ${formatBytes(totalBytes)}, parts ${parts}/${totalParts}`,
        );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/**
 * Counts the image parts an S3 client reads (GetObject by PartNumber) as they arrive, so a core
 * function that knows nothing of terminals (verifyEvidence) can drive a progress bar.
 */
export function countPartReads(s3: S3Client, progress: ByteProgress): void {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const input = args.input as { PartNumber?: number };
      if (context.commandName === 'GetObjectCommand' && input.PartNumber !== undefined) {
        progress.add(Number((out.output as { ContentLength?: number }).ContentLength ?? 0), 1);
      }
      return out;
    },
    { step: 'initialize', name: 'sequesterPartProgress' },
  );
}
