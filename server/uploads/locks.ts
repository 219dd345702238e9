// Locks on uploads, so that one request at a time touches an upload's bytes: among the
// requests of this node (in process) and, on PostgreSQL, among all nodes (session-level
// advisory locks held on one dedicated connection per node).
//
// tus asks a lock's holder to let go when another request wants the lock: the client lost
// its connection and resumed, perhaps through another node, while the old request still
// waits for bytes that will never come. Across nodes that request travels as a NOTIFY on
// `lemari_upload_release`; a node that holds the upload cancels its request (tus lets it
// drain, then aborts it), and announces every release on `lemari_upload_unlocked`, so a
// waiter on another node retries at once instead of at its next poll. A session lock dies
// with its connection: when the lock connection drops, this node asks its own holders to
// let go, since another node may now take their uploads.
import { createHash } from 'node:crypto';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';

/** First key of every upload lock: keeps them apart from other advisory locks (migrations). */
const LOCK_SPACE = 0x4c4d5550; // "LMUP"
const RELEASE_CHANNEL = 'lemari_upload_release';
const UNLOCKED_CHANNEL = 'lemari_upload_unlocked';
/** How often a waiter re-tries a lock held on another node when no NOTIFY woke it. */
const POLL_MS = 250;
/** How often a waiter repeats its release request (the holder may have changed). */
const ASK_AGAIN_MS = 1_000;

/** The second key of an upload's advisory lock; a collision only serializes two uploads. */
export function lockKey(id: string): number {
  return createHash('sha256').update(id).digest().readInt32BE(0);
}

interface Holder {
  requestRelease?: RequestRelease;
  released: Promise<void>;
  release(): void;
}

/** Waits for `promise`, or until the signal aborts or the deadline passes. */
function until(promise: Promise<unknown>, signal: AbortSignal, deadline: number): Promise<void> {
  return new Promise<void>((done) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
    signal.addEventListener('abort', finish, { once: true });
    promise.then(finish, finish);
  });
}

/** In-process locks: one holder per upload id on this node. */
class LocalLocks {
  private readonly held = new Map<string, Holder>();

  tryTake(id: string, requestRelease?: RequestRelease): boolean {
    if (this.held.has(id)) return false;
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    this.held.set(id, { requestRelease, released, release });
    return true;
  }

  async take(id: string, requestRelease: RequestRelease, signal: AbortSignal, deadline: number): Promise<void> {
    for (;;) {
      if (signal.aborted || Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
      if (this.tryTake(id, requestRelease)) return;
      const holder = this.held.get(id)!;
      await holder.requestRelease?.();
      await until(holder.released, signal, deadline);
    }
  }

  release(id: string): void {
    const holder = this.held.get(id);
    this.held.delete(id);
    holder?.release();
  }

  /** Asks the holder of `id`, if any, to let go. */
  async askRelease(id: string): Promise<void> {
    await this.held.get(id)?.requestRelease?.();
  }

  ids(): string[] {
    return [...this.held.keys()];
  }
}

/** PostgreSQL advisory locks on one connection of this node, with LISTEN/NOTIFY. */
class AdvisoryLocks {
  private client: Promise<pg.Client> | null = null;
  private readonly wakeups = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: FastifyBaseLogger,
    /** Another node asks for `id`; or, with null, this node's session (and every lock) is gone. */
    private readonly onReleaseRequest: (id: string | null) => void,
  ) {}

  private connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('the upload lock connection is closed'));
    this.client ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: 'lemari-server upload locks' });
      let backendPid = 0;
      const lost = (error?: Error) => {
        if (this.client === pending) this.client = null;
        if (!this.closed) {
          this.log.warn({ err: error }, 'upload lock connection lost; uploads held by this node are released');
          this.onReleaseRequest(null);
        }
      };
      client.on('error', lost);
      client.on('end', () => lost());
      client.on('notification', (message) => {
        if (!message.payload) return;
        // A node hears its own NOTIFYs too; its own waiter must not cancel itself.
        if (message.channel === RELEASE_CHANNEL && message.processId !== backendPid) this.onReleaseRequest(message.payload);
        if (message.channel === UNLOCKED_CHANNEL) this.wake(message.payload);
      });
      await client.connect();
      backendPid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
      await client.query(`listen ${RELEASE_CHANNEL}`);
      await client.query(`listen ${UNLOCKED_CHANNEL}`);
      return client;
    })();
    const pending = this.client;
    pending.catch(() => {
      if (this.client === pending) this.client = null;
    });
    return pending;
  }

  async start(): Promise<void> {
    await this.connection();
  }

  async tryLock(id: string): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [LOCK_SPACE, lockKey(id)]);
    return rows[0].ok;
  }

  async unlock(id: string): Promise<void> {
    const client = await this.connection();
    // One round trip: this runs after every PATCH.
    await client.query('select pg_advisory_unlock($1, $2), pg_notify($3, $4)', [LOCK_SPACE, lockKey(id), UNLOCKED_CHANNEL, id]);
  }

  async askRelease(id: string): Promise<void> {
    const client = await this.connection();
    await client.query('select pg_notify($1, $2)', [RELEASE_CHANNEL, id]);
  }

  /** Resolves when some node announces it released `id`, or after `ms`. */
  waitUnlocked(id: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((done) => {
      const set = this.wakeups.get(id) ?? new Set();
      this.wakeups.set(id, set);
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        set.delete(finish);
        if (set.size === 0 && this.wakeups.get(id) === set) this.wakeups.delete(id);
        done();
      };
      const timer = setTimeout(finish, ms);
      signal.addEventListener('abort', finish, { once: true });
      set.add(finish);
    });
  }

  private wake(id: string): void {
    for (const finish of [...(this.wakeups.get(id) ?? [])]) finish();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = await this.client?.catch(() => null);
    this.client = null;
    await client?.end().catch(() => {});
  }
}

export interface UploadLockerOptions {
  /** PostgreSQL URL for cross-node locks; without it (PGlite, one node) locks are in process. */
  databaseUrl?: string;
  log: FastifyBaseLogger;
  /** How long a request waits for an upload's lock before giving up (ms). */
  acquireTimeoutMs?: number;
}

/** The tus Locker of this node. */
export class UploadLocker implements Locker {
  private readonly local = new LocalLocks();
  private readonly remote: AdvisoryLocks | null;
  readonly acquireTimeoutMs: number;

  constructor(private readonly options: UploadLockerOptions) {
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
    this.remote = options.databaseUrl
      ? new AdvisoryLocks(options.databaseUrl, options.log, (id) => {
          const ids = id === null ? this.local.ids() : [id];
          for (const held of ids) {
            this.local.askRelease(held).catch((error: unknown) => options.log.error({ err: error }, 'releasing an upload lock failed'));
          }
        })
      : null;
  }

  get crossNode(): boolean {
    return this.remote !== null;
  }

  async start(): Promise<void> {
    await this.remote?.start();
  }

  newLock(id: string): Lock {
    return {
      lock: (signal, requestRelease) => this.acquire(id, signal, requestRelease),
      unlock: () => this.release(id),
    };
  }

  /**
   * Takes `id`'s lock only if nobody holds it anywhere, without asking a holder to let go
   * (housekeeping must never interrupt an upload). Returns the unlock, or null.
   */
  async tryLock(id: string): Promise<(() => Promise<void>) | null> {
    if (!this.local.tryTake(id)) return null;
    try {
      if (this.remote && !(await this.remote.tryLock(id))) {
        this.local.release(id);
        return null;
      }
    } catch (error) {
      this.local.release(id);
      throw error;
    }
    return () => this.release(id);
  }

  private async acquire(id: string, signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + this.acquireTimeoutMs;
    await this.local.take(id, requestRelease, signal, deadline);
    if (!this.remote) return;
    try {
      let askedAt = 0;
      for (;;) {
        try {
          if (await this.remote.tryLock(id)) return;
          if (Date.now() - askedAt >= ASK_AGAIN_MS) {
            askedAt = Date.now();
            await this.remote.askRelease(id);
          }
        } catch (error) {
          // The lock connection is down: it reconnects on the next try, until the deadline.
          this.options.log.warn({ err: error, upload: id }, 'upload lock: database not reachable, retrying');
        }
        await this.remote.waitUnlocked(id, POLL_MS, signal);
        if (signal.aborted || Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
      }
    } catch (error) {
      this.local.release(id);
      throw error;
    }
  }

  private async release(id: string): Promise<void> {
    try {
      await this.remote?.unlock(id);
    } catch (error) {
      // The session is gone, and its locks with it: nothing is left to release.
      this.options.log.warn({ err: error, upload: id }, 'upload lock: unlock failed');
    } finally {
      this.local.release(id);
    }
  }

  async close(): Promise<void> {
    await this.remote?.close();
  }
}
