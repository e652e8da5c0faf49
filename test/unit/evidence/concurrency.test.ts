import { mapLimit } from '../../../lambdas/core/evidence/concurrency';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Function: mapLimit', () => {
  it('keeps results in input order with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 10, 20, 5, 15], 2, async (ms, i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(ms);
      inFlight -= 1;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('after a failure starts nothing new, and rejects only once the running items have settled', async () => {
    // Arrange: item 1 fails at once while items 0 and 2 are still running.
    const started: number[] = [];
    const finished: number[] = [];
    // Act
    const run = mapLimit([0, 1, 2, 3, 4, 5], 3, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('part 2 failed');
      await sleep(40);
      finished.push(n);
      return n;
    });
    // Assert
    await expect(run).rejects.toThrow('part 2 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(finished.sort()).toEqual([0, 2]);
  });
});
