import { fenced, HeldLease, LeaseLostError } from '../../server/src/jobs/held-lease';

/** A job store's renew() that answers from a script: the database's view of the lease. */
const store = (answers: boolean[]) => ({
  calls: [] as number[],
  async renew(_id: number, _worker: string, _ms: number, now = Date.now()) {
    this.calls.push(now);
    return answers.shift() ?? true;
  },
});

describe('HeldLease', () => {
  it('confirm() right after a claim or renewal needs no database round trip (most of the lease is left)', async () => {
    const s = store([false]);
    const lease = new HeldLease(s, 7, 'w', 60_000, Date.now() + 60_000, () => undefined);
    await expect(lease.confirm()).resolves.toBeUndefined();
    expect(s.calls).toEqual([]);
  });

  it('confirm() renews while the job is ours and fails for good once a renewal finds it taken over', async () => {
    const s = store([true, false]);
    const lost: number[] = [];
    // claimed a while ago (a third of the lease or more): each confirm() asks the database
    const lease = new HeldLease(s, 7, 'w', 60_000, Date.now() + 30_000, (at) => lost.push(at));
    await expect(lease.confirm()).resolves.toBeUndefined();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 30_000);
    await expect(lease.confirm()).rejects.toBeInstanceOf(LeaseLostError);
    jest.restoreAllMocks();
    expect(lost).toHaveLength(1);
    // lost stays lost: no more renewals are even tried
    await expect(lease.confirm()).rejects.toBeInstanceOf(LeaseLostError);
    expect(s.calls).toHaveLength(2);
    expect(lost).toHaveLength(1);
  });

  it('an expired lease nobody took over is taken back; one taken over ended when it expired (others claim only after that)', async () => {
    const lost: number[] = [];
    const until = Date.now() - 5_000;
    const kept = new HeldLease(store([true]), 7, 'w', 60_000, until, (at) => lost.push(at));
    await expect(kept.confirm()).resolves.toBeUndefined();
    expect(kept.lost).toBe(false);
    const taken = new HeldLease(store([false]), 7, 'w', 60_000, until, (at) => lost.push(at));
    await expect(taken.confirm()).rejects.toThrow('the lease on job 7 was lost');
    expect(taken.lost).toBe(true);
    expect(lost).toEqual([until]);
  });

  it('fenced() runs the named methods only after the fence confirms, and leaves the others alone', async () => {
    const s = store([true, false]);
    const lease = new HeldLease(s, 7, 'w', 60_000, Date.now() + 30_000, () => undefined);
    const done: string[] = [];
    const port = {
      prefix: 'p:',
      async put(k: string) {
        done.push(this.prefix + k);
      },
      async head(k: string) {
        done.push(`head ${k}`);
      },
    };
    const f = fenced(port, ['put'], lease);
    await f.put('a');
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 30_000);
    await expect(f.put('b')).rejects.toBeInstanceOf(LeaseLostError);
    jest.restoreAllMocks();
    await f.head('c');
    expect(done).toEqual(['p:a', 'head c']);
  });
});
