import { describe, expect, it } from 'vitest';
import { runInGroups, type GroupSchedule } from './groups';

/** A stage whose files settle when the test says so. */
function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function schedule(overrides: Partial<GroupSchedule<number>> & { total: number }) {
  const commits: number[][] = [];
  const stagedAt: number[] = [];
  const full: GroupSchedule<number> = {
    inFlight: 3,
    groupFiles: 4,
    groupMs: 10_000,
    stage: (index) => {
      stagedAt.push(index);
      return Promise.resolve(index);
    },
    commit: (items) => void commits.push(items),
    stopped: () => false,
    ...overrides,
  };
  return { full, commits, stagedAt };
}

describe('runInGroups', () => {
  it('commits every file once, in order, in groups no larger than groupFiles', async () => {
    const { full, commits } = schedule({ total: 10 });
    await runInGroups(full);
    expect(commits.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...commits.map((group) => group.length))).toBeLessThanOrEqual(4);
    // Files that were ready together were committed together.
    expect(commits.length).toBeLessThan(10);
  });

  it('never commits a file before the files ahead of it, however they finish', async () => {
    const gates = Array.from({ length: 4 }, () => gate<number>());
    const { full, commits } = schedule({ total: 4, inFlight: 4, stage: (index) => gates[index].promise });
    const run = runInGroups(full);
    gates[3].open(3);
    gates[1].open(1);
    gates[2].open(2);
    await tick();
    expect(commits).toEqual([]);
    gates[0].open(0);
    await run;
    expect(commits).toEqual([[0, 1, 2, 3]]);
  });

  it('commits what is ready after groupMs instead of waiting for a slow file', async () => {
    const slow = gate<number>();
    const { full, commits } = schedule({ total: 3, groupMs: 30, stage: (index) => (index === 2 ? slow.promise : Promise.resolve(index)) });
    const run = runInGroups(full);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(commits).toEqual([[0, 1]]);
    slow.open(2);
    await run;
    expect(commits).toEqual([[0, 1], [2]]);
  });

  it('stages at most inFlight at once and no further ahead than one group', async () => {
    const gates = Array.from({ length: 20 }, () => gate<number>());
    let running = 0;
    let most = 0;
    const stagedAt: number[] = [];
    const { full } = schedule({
      total: 20,
      inFlight: 2,
      groupFiles: 4,
      stage: async (index) => {
        stagedAt.push(index);
        most = Math.max(most, ++running);
        try {
          return await gates[index].promise;
        } finally {
          running--;
        }
      },
    });
    // File 0 is held back: nothing can commit, so staging must stop at the window.
    const run = runInGroups(full);
    for (let i = 1; i < 20; i++) {
      gates[i].open(i);
      await tick();
    }
    expect(most).toBe(2);
    expect(Math.max(...stagedAt)).toBe(4 + 2 - 1);
    gates[0].open(0);
    await run;
    expect(stagedAt).toHaveLength(20);
  });

  it('stops before the next group when stopped, leaving it uncommitted', async () => {
    let stop = false;
    const { full, commits, stagedAt } = schedule({
      total: 12,
      commit: (items) => {
        commits.push(items);
        stop = true;
      },
      stopped: () => stop,
    });
    await runInGroups(full);
    expect(commits).toHaveLength(1);
    expect(stagedAt.length).toBeLessThan(12);
  });

  it('commits the files before a failed stage, starts no more, and throws once the files in flight settle', async () => {
    const slow = Array.from({ length: 12 }, () => gate<number>());
    let slowSettled = false;
    const stagedAt: number[] = [];
    const { full, commits } = schedule({
      total: 12,
      inFlight: 2,
      stage: (index) => {
        stagedAt.push(index);
        if (index === 0) return Promise.resolve(0);
        if (index === 1) return Promise.reject(new Error('disk on fire'));
        return slow[index].promise.finally(() => (slowSettled = true));
      },
    });
    const run = runInGroups(full);
    let outcome: unknown = null;
    void run.catch((error: unknown) => (outcome = error));
    await tick();
    expect(commits).toEqual([[0]]);
    // Files 2 and 3 are still being staged: the batch waits for them before reporting the failure.
    expect(outcome).toBeNull();
    const startedAtFailure = stagedAt.length;
    for (const [index, one] of slow.entries()) one.open(index);
    await expect(run).rejects.toThrow('disk on fire');
    expect(slowSettled).toBe(true);
    expect(stagedAt).toHaveLength(startedAtFailure);
    expect(commits).toEqual([[0]]);
  });

  it('ends a batch whose commit throws, keeping what it committed', async () => {
    const { full, commits } = schedule({
      total: 12,
      commit: (items) => {
        commits.push(items);
        if (items.includes(5)) throw new Error('database is locked');
      },
    });
    await expect(runInGroups(full)).rejects.toThrow('database is locked');
    expect(commits.flat()).toContain(5);
    expect(commits.flat()).not.toContain(8);
  });
});
