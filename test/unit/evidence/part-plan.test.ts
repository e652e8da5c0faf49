import fc from 'fast-check';
import { BLOCK_SIZE, GIB, MIB } from '../../../lambdas/core/evidence/config';
import { MAX_PART, partRange, planObjects, planSegments } from '../../../lambdas/core/evidence/part-plan';

describe('Function: planObjects', () => {
  it('uses 8 MiB parts for small volumes', () => {
    expect(planObjects(GIB)).toEqual([
      { index: 0, offset: 0, length: GIB, partSize: 8 * MIB, partCount: 128 },
    ]);
  });

  it('grows the part size so a 300 GiB volume fits 10,000 parts in one object', () => {
    const [o, ...rest] = planObjects(300 * GIB);
    expect(rest).toEqual([]);
    expect(o?.partCount).toBeLessThanOrEqual(10_000);
    expect(o?.partSize).toBeGreaterThan(8 * MIB);
    expect((o?.partSize ?? 0) % BLOCK_SIZE).toBe(0);
  });

  it('splits a 16 TiB gp3 volume into pieces of 32 MiB parts, so a worker never holds a bigger part', () => {
    const objects = planObjects(16 * 1024 * GIB);
    expect(objects).toHaveLength(53);
    expect(objects.every((o) => o.partSize === 32 * MIB && o.partCount <= 10_000)).toBe(true);
    expect(objects[1]?.offset).toBe(objects[0]?.length);
  });

  it('always respects S3 part limits and covers the volume exactly, block-aligned', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65_536 }), (gib) => {
        const objects = planObjects(gib * GIB);
        let next = 0;
        for (const o of objects) {
          expect(o.offset).toBe(next);
          expect(o.partCount).toBeLessThanOrEqual(10_000);
          expect(o.partSize).toBeGreaterThanOrEqual(5 * MIB);
          expect(o.partSize).toBeLessThanOrEqual(MAX_PART);
          expect(o.partSize % BLOCK_SIZE).toBe(0);
          expect(partRange(o, o.partCount).size).toBeGreaterThan(0);
          next += o.length;
        }
        expect(next).toBe(gib * GIB);
      }),
    );
  });
});

describe('Function: planSegments', () => {
  it('covers every part exactly once with consecutive ranges', () => {
    expect(planSegments(130, 64)).toEqual([
      { firstPart: 1, lastPart: 64 },
      { firstPart: 65, lastPart: 128 },
      { firstPart: 129, lastPart: 130 },
    ]);
  });
});
