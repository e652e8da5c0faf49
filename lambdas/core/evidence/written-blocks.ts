import { type EBSClient, paginateListSnapshotBlocks } from '@aws-sdk/client-ebs';
import { BLOCK_SIZE } from './config';
import type { Segment } from './evidence-record';
import { partRange } from './part-plan';

export type BlockRef = { index: number; token: string };

/**
 * Written blocks of the segment by part number, and the first block after it when written (its head
 * closes the segment's secret scan). ListSnapshotBlocks lists only written blocks, in order.
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebsapi-faq.html
 */
export async function writtenBlocks(ebs: EBSClient, seg: Segment) {
  const first = partRange(seg, seg.firstPart).firstBlock;
  const end = partRange(seg, seg.lastPart).endBlock;
  const byPart = new Map<number, BlockRef[]>();
  let next: BlockRef | undefined;
  const pages = paginateListSnapshotBlocks(
    { client: ebs, pageSize: 10_000 },
    { SnapshotId: seg.snapshotId, StartingBlockIndex: first },
  );
  outer: for await (const page of pages) {
    for (const b of page.Blocks ?? []) {
      const index = b.BlockIndex ?? -1;
      if (index >= end) {
        if (index === end && b.BlockToken !== undefined) next = { index, token: b.BlockToken };
        break outer;
      }
      if (index < first || b.BlockToken === undefined) continue;
      const part = Math.floor((index * BLOCK_SIZE - seg.offset) / seg.partSize) + 1;
      const list = byPart.get(part) ?? [];
      list.push({ index, token: b.BlockToken });
      byPart.set(part, list);
    }
  }
  return { byPart, next };
}
