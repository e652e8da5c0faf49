import fc from 'fast-check';
import { BLOCK_SIZE, GIB, MIB } from '../../../lambdas/core/evidence/config';
import { partRange, planObjects, planSegments, S3_MAX_PART } from '../../../lambdas/core/evidence/part-plan';

describe('Function: planObjects', () => {
  it('uses 8 MiB parts for small volumes', () => {
    expect(planObjects(GIB)).toEqual([
      { index: 0, offset: 0, length: GIB, partSize: 8 * MIB, partCount: 128 },
    ]);
  });

  it('grows the part size so a 16 TiB volume fits 10,000 parts in one object', () => {
    const [o, ...rest] = planObjects(16 * 1024 * GIB);
    expect(rest).toEqual([]);
    expect(o?.partCount).toBeLessThanOrEqual(10_000);
    expect((o?.partSize ?? 0) % BLOCK_SIZE).toBe(0);
  });

  it('splits a 64 TiB io2 volume into a split image of 5 GiB parts', () => {
    const objects = planObjects(64 * 1024 * GIB);
    expect(objects).toHaveLength(2);
    expect(objects.every((o) => o.partSize === S3_MAX_PART && o.partCount <= 10_000)).toBe(true);
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
          expect(o.partSize).toBeLessThanOrEqual(S3_MAX_PART);
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
