/**
 * Counts sequential AWS round trips: every call made while the previous batch was "on the wire" is
 * answered together one tick later, so `ticks` is the depth of the collection's call chain (what a real
 * network's latency multiplies), and `calls` the total number of calls.
 */
export class RoundTrips {
  public ticks = 0;
  public calls = 0;
  private pending: Array<() => void> = [];
  private scheduled = false;

  public answer<T>(fn: () => T): Promise<T> {
    this.calls += 1;
    return new Promise<T>((resolve, reject) => {
      this.pending.push(() => {
        try {
          resolve(fn());
        } catch (err) {
          reject(err);
        }
      });
      if (!this.scheduled) {
        this.scheduled = true;
        // A macrotask: every call the previous answers trigger (through promise chains) is queued first.
        setTimeout(() => {
          this.scheduled = false;
          const batch = this.pending;
          this.pending = [];
          this.ticks += 1;
          for (const f of batch) f();
        }, 0);
      }
    });
  }
}
