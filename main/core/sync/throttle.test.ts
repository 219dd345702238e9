// The shared bandwidth cap and the speed/ETA figures, on a fake clock: a cap of N bytes/s
// makes any mix of callers wait as long as their bytes need, a quiet spell allows one burst
// but no more, and the speed is what moved over the last five seconds.
import { describe, expect, it } from 'vitest';
import { chunkFor, kbpsToBytes, SpeedMeter, Throttle } from './throttle';

function fakeTime(start = 1_000_000) {
  let now = start;
  const slept: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    advance: (ms: number) => (now += ms),
    slept,
    /** A sleep that moves the clock, like real time would. */
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('Throttle', () => {
  it('without a cap never waits', async () => {
    const time = fakeTime();
    const throttle = new Throttle(time.clock, time.sleep, null, 1000);
    await throttle.take(10_000_000);
    expect(time.slept).toEqual([]);
  });

  it('holds one caller to the cap after the first burst', async () => {
    const time = fakeTime();
    const start = time.clock.now().getTime();
    const throttle = new Throttle(time.clock, time.sleep, 1000, 1000);
    for (let i = 0; i < 10; i++) await throttle.take(1000);
    // 10,000 bytes at 1,000 bytes/s with a 1,000-byte burst: 9 seconds.
    expect(time.clock.now().getTime() - start).toBe(9000);
  });

  it('shares the cap between concurrent callers: together they wait as long as all their bytes need', async () => {
    const time = fakeTime();
    const throttle = new Throttle(time.clock, async () => {}, 2000, 0);
    // The clock does not move while they wait: each reservation queues behind the others.
    const waits = [throttle.reserve(1000), throttle.reserve(1000), throttle.reserve(1000), throttle.reserve(1000)];
    expect(waits).toEqual([500, 1000, 1500, 2000]);
  });

  it('lets a quiet spell refill only up to the burst', async () => {
    const time = fakeTime();
    const throttle = new Throttle(time.clock, time.sleep, 1000, 2000);
    expect(throttle.reserve(2000)).toBe(0);
    time.advance(60_000); // a minute idle does not bank a minute of bytes
    expect(throttle.reserve(2000)).toBe(0);
    expect(throttle.reserve(1000)).toBe(1000);
  });

  it('converts the setting and sizes chunks to about a second of the cap', () => {
    expect(kbpsToBytes(64)).toBe(8000);
    expect(chunkFor(4 * 1024 * 1024, null)).toBe(4 * 1024 * 1024);
    expect(chunkFor(4 * 1024 * 1024, 125_000)).toBe(125_000);
    expect(chunkFor(4 * 1024 * 1024, 8000)).toBe(16 * 1024); // never below 16 KiB a request
    expect(chunkFor(64 * 1024, 1_000_000)).toBe(64 * 1024);
  });
});

describe('SpeedMeter', () => {
  it('has no speed and no ETA before time passes', () => {
    const time = fakeTime();
    const meter = new SpeedMeter(time.clock);
    meter.sample(0);
    meter.sample(5000);
    expect(meter.speed()).toBe(0);
    expect(meter.eta(1000)).toBeNull();
    expect(meter.eta(0)).toBe(0);
  });

  it('measures bytes per second over the last five seconds and the ETA from it', () => {
    const time = fakeTime();
    const meter = new SpeedMeter(time.clock);
    meter.sample(0);
    // 10 s at 1,000 B/s, then 5 s at 4,000 B/s: the speed follows the recent rate only.
    for (let s = 1; s <= 10; s++) {
      time.advance(1000);
      meter.sample(s * 1000);
    }
    expect(meter.speed()).toBe(1000);
    for (let s = 1; s <= 5; s++) {
      time.advance(1000);
      meter.sample(10_000 + s * 4000);
    }
    expect(meter.speed()).toBe(4000);
    expect(meter.eta(10_000)).toBe(3); // 2.5 s, rounded up
  });

  it('drops to zero speed (ETA unknown) when nothing moves for the window', () => {
    const time = fakeTime();
    const meter = new SpeedMeter(time.clock);
    meter.sample(0);
    time.advance(1000);
    meter.sample(1000);
    for (let s = 0; s < 6; s++) {
      time.advance(1000);
      meter.sample(1000);
    }
    expect(meter.speed()).toBe(0);
    expect(meter.eta(500)).toBeNull();
  });
});
