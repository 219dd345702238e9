// Pacing and measuring a sync run's bytes. Throttle is one token bucket shared by every
// upload of a run, so the office link's cap holds however many files are in flight: each
// upload asks for its next chunk's bytes before sending it and is told how long to wait.
// It keeps a reservation schedule (GCRA) rather than a token count, so its waits are right
// even when the clock does not move while waiting (tests), and concurrent callers queue up
// behind each other instead of all waking at once. SpeedMeter turns progress samples into
// bytes per second over the last few seconds and an ETA, both from the clock port.
import type { Clock } from '../ports';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export class Throttle {
  /** When the bucket will be full again if nothing more is taken (ms). */
  private fullAt = 0;

  /**
   * @param bytesPerSecond null: no cap, `take` never waits.
   * @param burstBytes what may go at once after a quiet spell (the bucket's size).
   */
  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly bytesPerSecond: number | null,
    private readonly burstBytes: number,
  ) {}

  /** How long a caller taking `bytes` now must wait (ms), with the bytes reserved for it. */
  reserve(bytes: number): number {
    if (this.bytesPerSecond === null || bytes <= 0) return 0;
    const now = this.clock.now().getTime();
    const msPerByte = 1000 / this.bytesPerSecond;
    this.fullAt = Math.max(this.fullAt, now) + bytes * msPerByte;
    return Math.max(0, this.fullAt - this.burstBytes * msPerByte - now);
  }

  /** Waits until `bytes` may be sent; rejects when the signal aborts (the reservation is spent anyway). */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(bytes);
    if (wait > 0) await this.sleep(wait, signal);
  }
}

/** Kilobits per second (the settings' unit) as bytes per second. */
export const kbpsToBytes = (kbps: number) => (kbps * 1000) / 8;

/** The chunk size an upload should use under a cap: about a second's worth, so the cap holds smoothly. */
export function chunkFor(chunkBytes: number, bytesPerSecond: number | null): number {
  if (bytesPerSecond === null) return chunkBytes;
  return Math.max(16 * 1024, Math.min(chunkBytes, Math.floor(bytesPerSecond)));
}

export class SpeedMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 5000,
  ) {}

  /** Notes the run's bytes done so far (a running total). */
  sample(bytesDone: number): void {
    const at = this.clock.now().getTime();
    this.samples.push({ at, bytes: bytesDone });
    // Keep one sample older than the window, so the window is always spanned.
    while (this.samples.length > 2 && this.samples[1].at <= at - this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the last window (0 until time has passed). */
  speed(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Seconds left for `bytesLeft` at the current speed; null while the speed is unknown. */
  eta(bytesLeft: number): number | null {
    if (bytesLeft <= 0) return 0;
    const speed = this.speed();
    return speed > 0 ? Math.ceil(bytesLeft / speed) : null;
  }
}
