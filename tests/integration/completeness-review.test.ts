// Completeness follows the verifier (issue 7), through the contract on a real profile: a scan
// the verifier rejects (review.reject) counts as rejected, not held, in the employee's
// checklist, score, the office summary and the work queue, until the clerk relabels it (the
// review goes back to pending) and after the verifier approves it; withdrawing an approval
// rejects it again. And the day's progress snapshot is taken when the app's scheduler ticks,
// on a day nobody computed completeness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../common/contract';
import type { ChecklistItem, EmployeeCompleteness } from '../../common/completeness';
import type { Session } from '../../main/access';
import { adminProfile, type AdminProfile } from '../helpers/admin-profile';
import { insertDocument, insertEmployee } from '../helpers/documents';

let world: AdminProfile;
let now = new Date(2026, 10, 24, 9, 0).getTime();
const clock = { now: () => new Date(now) };
/** The scheduler's pending ticks (a fake timer port). */
const timers: (() => void)[] = [];
const CLERK = '199001012015031001';
const VERIFIER = '198505052010012002';
const RINA = '199203042015031001';
const SITI = '199202292015032002';
let clerk: Session;
let verifier: Session;

async function call<T>(method: MethodName, input: unknown, session: Session): Promise<T> {
  const result = await world.call(method, input, session);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

/** Moves the clock on; everyone was working all along, so the idle lock does not fire. */
function later(ms: number): void {
  now += ms;
  for (const session of [world.admin, clerk, verifier]) session.lastActivity = now;
}

const label = (id: number, nomor: string) => ({ id, nip: RINA, typeCode: 'SK_PNS', fields: { nomor, tanggal: '2016-04-01', tmt: '2016-04-01', golongan: 'III/a' } });
const asSeen = (id: number) => ({ items: [{ id, labelledAt: (world.profile.db.prepare('SELECT updated_at FROM documents WHERE id = ?').get(id) as { updated_at: string }).updated_at }] });
const checklist = () => call<EmployeeCompleteness>('completeness.employee', { nip: RINA }, clerk);
const skPns = (c: EmployeeCompleteness) => c.items.find((item) => item.key === 'SK_PNS')!;
const office = () => call<{ total: { averageScore: number; lengkap: number } }>('completeness.summary', {}, clerk);
const queued = async () => (await call<{ items: { nip: string; score: number; gaps: string[] }[] }>('completeness.queue', { limit: 10 }, clerk)).items.find((item) => item.nip === RINA)!;

beforeAll(async () => {
  world = await adminProfile('lemari-completeness-review-', clock, { scheduleSync: { timers: { set: (callback) => timers.push(callback) - 1, clear: () => {} } } });
  clerk = await world.userSession(CLERK, 'clerk');
  now += 30_000;
  verifier = await world.userSession(VERIFIER, 'verifier');
  insertEmployee(world.profile.db, RINA, 'Rina', 'Bidang Mutasi');
  insertEmployee(world.profile.db, SITI, 'Siti', 'Bidang Arsip');
  await world.ok('settings.update', { requireApproval: true });
});

afterAll(() => world.close());

describe('completeness and the verifier', () => {
  it('counts a scan the verifier rejected as rejected, not held, until it is relabelled or approved', async () => {
    const id = insertDocument(world.profile.db);
    await call('documents.label', label(id, '800/123/BKD/2016'), clerk);
    const held = await checklist();
    expect(skPns(held)).toMatchObject<Partial<ChecklistItem>>({ status: 'held', held: 1, rejected: 0 });
    // The office's stored scores are made now, so what follows must mark Rina to be rescored.
    const officeHeld = await office();
    expect((await queued()).gaps).not.toContain('SK_PNS');

    later(60_000);
    const reason = 'Halaman kedua tidak terpindai';
    await call('review.reject', { id, reason }, verifier);
    const rejected = await checklist();
    expect(skPns(rejected)).toMatchObject<Partial<ChecklistItem>>({ status: 'rejected', held: 0, rejected: 1, expected: 1 });
    expect(rejected.score).toBeLessThan(held.score);
    expect(rejected.missing).toBe(held.missing + 1);
    const officeRejected = await office();
    expect(officeRejected.total.averageScore).toBeLessThan(officeHeld.total.averageScore);
    expect(await queued()).toMatchObject({ score: rejected.score, gaps: expect.arrayContaining(['SK_PNS']) });
    // The clerk still sees why.
    expect(await call('documents.get', { id }, clerk)).toMatchObject({ review: 'rejected', reviewReason: reason });

    // The clerk rescans and relabels: pending again, held again, in every figure.
    later(60_000);
    await call('documents.label', label(id, '800/124/BKD/2016'), clerk);
    const relabelled = await checklist();
    expect(skPns(relabelled)).toMatchObject<Partial<ChecklistItem>>({ status: 'held', held: 1, rejected: 0 });
    expect(relabelled.score).toBe(held.score);
    expect((await office()).total.averageScore).toBe(officeHeld.total.averageScore);
    expect((await queued()).gaps).not.toContain('SK_PNS');

    // Approved, then the approval withdrawn (a rejection), then approved after a relabel.
    await call('review.approve', asSeen(id), verifier);
    expect(skPns(await checklist()).status).toBe('held');
    later(60_000);
    await call('review.reject', { id, reason: 'Nomor SK salah' }, verifier);
    expect(skPns(await checklist())).toMatchObject({ status: 'rejected', held: 0, rejected: 1 });
    expect((await office()).total.averageScore).toBe(officeRejected.total.averageScore);
    later(60_000);
    await call('documents.label', label(id, '800/125/BKD/2016'), clerk);
    await call('review.approve', asSeen(id), verifier);
    expect(skPns(await checklist())).toMatchObject({ status: 'held', held: 1, rejected: 0 });
    expect((await queued()).score).toBe(held.score);
  });
});

describe('the daily progress snapshot', () => {
  it('is taken when the scheduler ticks on a day nobody computed completeness, and moves with the day\'s last dashboard', async () => {
    expect(timers.length).toBeGreaterThan(0); // a clerk signed in: the scheduler ticks
    const days = () => world.profile.db.prepare('SELECT day, employees FROM completeness_daily ORDER BY day').all();
    const units = () => world.profile.db.prepare('SELECT day, unit_kerja, employees FROM completeness_daily_units ORDER BY day, unit_kerja').all();
    expect(days()).toEqual([{ day: '2026-11-24', employees: 2 }]);

    /** Fires the pending tick and waits until the scheduler has set its next one. */
    const tick = async () => {
      const count = timers.length;
      timers[count - 1]();
      for (let i = 0; i < 200 && timers.length === count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(timers.length).toBe(count + 1);
    };
    later(24 * 60 * 60 * 1000); // the 25th
    insertEmployee(world.profile.db, '199505052020012003', 'Tono', 'Bidang Arsip');
    await tick();
    const afterTick = days();
    expect(afterTick).toEqual([
      { day: '2026-11-24', employees: 2 },
      { day: '2026-11-25', employees: 3 },
    ]);
    expect(units()).toEqual([
      { day: '2026-11-24', unit_kerja: 'Bidang Arsip', employees: 1 },
      { day: '2026-11-24', unit_kerja: 'Bidang Mutasi', employees: 1 },
      { day: '2026-11-25', unit_kerja: 'Bidang Arsip', employees: 2 },
      { day: '2026-11-25', unit_kerja: 'Bidang Mutasi', employees: 1 },
    ]);
    // Later that day another tick leaves the day's point as it was; a look at the dashboard makes it the day's last figures.
    insertEmployee(world.profile.db, '199606062021012004', 'Umar', 'Bidang Arsip');
    later(60 * 60 * 1000);
    await tick();
    expect(days()).toEqual(afterTick);
    await office();
    expect(days()).toEqual([afterTick[0], { day: '2026-11-25', employees: 4 }]);
  });
});
