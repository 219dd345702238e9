// Staged ahead, committed in groups: the schedule of an import batch. Up to `inFlight`
// files are staged at once (read, converted, bytes made durable: mostly waiting on the
// disk, so those waits overlap), and the files that are ready are committed in order, in
// groups, so one SQLite transaction and one fsync serve up to `groupFiles` files. A group
// closes when it is full, when every file left is in it, or `groupMs` after it opened,
// whichever comes first, so a slow file never holds the files before it back for long.

export interface GroupSchedule<T> {
  total: number;
  /** Stages file `index`; never called twice for one index, at most `inFlight` at once. */
  stage(index: number): Promise<T>;
  /**
   * Commits files [first, first + items.length), in order. It may commit a prefix and then
   * throw; the throw ends the batch (after the files being staged have settled).
   */
  commit(items: T[], first: number): void;
  /** Checked before each group: true stops the batch there, the group uncommitted. */
  stopped(): boolean;
  inFlight: number;
  groupFiles: number;
  groupMs: number;
}

type Slot<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function runInGroups<T>(schedule: GroupSchedule<T>): Promise<void> {
  const { total, inFlight, groupFiles, groupMs } = schedule;
  // Staging runs at most one group (plus the files in flight) ahead of the commits: far
  // enough to fill the next group, near enough that a kill leaves few orphan blobs.
  const window = groupFiles + inFlight;
  const slots: (Slot<T> | undefined)[] = new Array<Slot<T> | undefined>(total);
  const running = new Set<Promise<void>>();
  let started = 0;
  let next = 0;
  let wake: (() => void) | null = null;
  let ended = false;

  const pump = () => {
    while (!ended && running.size < inFlight && started < total && started < next + window && !schedule.stopped()) {
      const index = started++;
      // Async, so a stage that throws at once settles its slot like any other failure.
      const run = (async () => schedule.stage(index))().then(
        (value) => void (slots[index] = { ok: true, value }),
        (error: unknown) => void (slots[index] = { ok: false, error }),
      );
      const tracked = run.finally(() => {
        running.delete(tracked);
        pump();
        wake?.();
      });
      running.add(tracked);
    }
  };

  /** Resolves when a file settles, or after `ms` (none: only when a file settles). */
  const settled = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  try {
    pump();
    while (next < total && !schedule.stopped()) {
      while (!slots[next]) await settled();
      const opened = performance.now();
      let end = next;
      let failed = false;
      for (;;) {
        while (!failed && end < total && end - next < groupFiles && slots[end]) failed = !slots[end++]!.ok;
        const left = groupMs - (performance.now() - opened);
        // A failed file ends the batch: no point waiting for files after it.
        if (failed || end - next >= groupFiles || end === total || left <= 0) break;
        await settled(left);
      }
      if (schedule.stopped()) break;
      const group = slots.slice(next, end) as Slot<T>[];
      const broken = group.findIndex((slot) => !slot.ok);
      const ready = (broken === -1 ? group : group.slice(0, broken)).map((slot) => (slot as { value: T }).value);
      // Slots are dropped once committed: a staged file holds little, but 1,000 of them add up.
      for (let i = next; i < end; i++) slots[i] = undefined;
      if (ready.length > 0) schedule.commit(ready, next);
      if (broken !== -1) throw (group[broken] as { error: unknown }).error;
      next = end;
      pump();
    }
  } finally {
    // Files staged past a stop or a failure finish their writes before the batch returns;
    // no further file is started.
    ended = true;
    while (running.size > 0) await Promise.allSettled([...running]);
  }
}
