// Completeness through the contract (profile.api.call), as the UI and CLI reach it: the
// checklist of an employee, the office summary and the work queue move when a scan is
// labelled, and the calls refuse a caller who is not logged in.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { insertDocument, insertEmployee } from '../helpers/documents';
import { resourcesDir, tempDir } from '../helpers/profile';

let work: ReturnType<typeof tempDir>;
let profile: Profile;
let session: ReturnType<Profile['newSession']>;
const clock = { now: () => new Date('2026-11-24T02:00:00Z') };
const BUDI = '199001012015031001';
const SITI = '199202292015032002';

async function ok<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await profile.api.call(method, input, { session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

beforeAll(async () => {
  work = tempDir('lemari-completeness-');
  const dataDir = join(work.dir, 'profil');
  profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
  session = profile.newSession();
  const { enrolment } = (await ok('auth.bootstrap', { nip: '198001012005011001', nama: 'Admin', password: 'arsip kepegawaian aman 2026' })) as { enrolment: { secret: string } };
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
  insertEmployee(profile.db, BUDI, 'Budi Santoso', 'Bidang Mutasi');
  insertEmployee(profile.db, SITI, 'Siti Aminah', 'Bidang Arsip');
});

afterAll(async () => {
  await profile.close();
  work.cleanup();
});

describe('completeness through the contract', () => {
  it('turns a missing SK PNS into held when a scan is labelled as one, and the office figures follow', async () => {
    const before = await ok('completeness.employee', { nip: BUDI });
    expect(before.items.find((item) => item.key === 'SK_PNS')).toMatchObject({ status: 'missing', held: 0, expected: 1 });
    const officeBefore = await ok('completeness.summary', {});
    expect(officeBefore.total).toMatchObject({ employees: 2, lengkap: 0 });
    const queueBefore = await ok('completeness.queue', { limit: 10 });
    expect(queueBefore.total).toBe(2);

    const id = insertDocument(profile.db, { name: 'sk-pns-budi.pdf' });
    await ok('documents.label', { id, nip: BUDI, typeCode: 'SK_PNS', fields: { nomor: '800/12/BKD/2016', tanggal: '2016-03-01', tmt: '2016-03-01' } });

    const after = await ok('completeness.employee', { nip: BUDI });
    expect(after.items.find((item) => item.key === 'SK_PNS')).toMatchObject({ status: 'held', held: 1 });
    expect(after.score).toBeGreaterThan(before.score);
    const officeAfter = await ok('completeness.summary', {});
    expect(officeAfter.total.averageScore).toBeGreaterThan(officeBefore.total.averageScore);
    const unit = await ok('completeness.summary', { unitKerja: 'Bidang Mutasi' });
    expect(unit.total).toMatchObject({ unitKerja: 'Bidang Mutasi', employees: 1 });
    expect(unit.total.averageScore).toBe(after.score);
    // Siti now has more to gain than Budi: she heads the queue.
    const queueAfter = await ok('completeness.queue', { limit: 10 });
    expect(queueAfter.items.map((item) => item.nip)).toEqual([SITI, BUDI]);
    expect(queueAfter.items[1].gaps).not.toContain('SK_PNS');
  });

  it('refuses a malformed NIP, an unknown employee, and anyone logged out', async () => {
    expect(await profile.api.call('completeness.employee', { nip: '123' }, { session })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await profile.api.call('completeness.employee', { nip: '199901012020011099' }, { session })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await profile.api.call('completeness.summary', {}, { session: profile.newSession() })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
