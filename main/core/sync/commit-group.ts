// Writes that may wait a moment, committed together: one SQLite transaction (one fsync with
// synchronous=FULL, which blocks the main thread both upload lanes share) for up to `size`
// of them, or whatever gathered within `ms`, and whatever is left when `flush` is called.
// Only for writes whose loss in a crash is harmless: the sync run's verified marks, where a
// lost mark means the next run sends the scan again under the same key and the server
// answers with the document it made.
import type { Db } from '../../infra/db';
import { writeTransaction } from '../audit';

export interface CommitGroupOptions {
  size: number;
  ms: number;
  /** A write that threw (rolled back alone, the others of its group kept), or a failed commit. */
  onError: (error: unknown) => void;
}

export class CommitGroup {
  private pending: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Each write in its own savepoint: one that throws is undone alone. */
  private readonly savepoint: (write: () => void) => void;

  constructor(
    private readonly db: Db,
    private readonly options: CommitGroupOptions,
  ) {
    this.savepoint = db.transaction((write: () => void) => write());
  }

  add(write: () => void): void {
    this.pending.push(write);
    if (this.pending.length >= this.options.size) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.ms);
  }

  /** Commits what waits, now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const writes = this.pending.splice(0);
    if (writes.length === 0) return;
    try {
      writeTransaction(this.db, () => {
        for (const write of writes) {
          try {
            this.savepoint(write);
          } catch (error) {
            this.options.onError(error);
          }
        }
      });
    } catch (error) {
      this.options.onError(error);
    }
  }
}
