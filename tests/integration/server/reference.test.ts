// Reference data on the central server, on both databases: employees imported by the
// instansi's admin (checked as the workstation checks an import, all or nothing) and
// document types (shipped and custom), each read as a change feed by any user.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceData } from '../../../common/doctypes';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { commitBody, completeUpload, NIPS, tableCounts } from '../../helpers/server-documents';

const shipped = ReferenceData.parse(JSON.parse(readFileSync(new URL('../../../resources/reference-data.json', import.meta.url), 'utf8')));

describe.each<TestDbKind>(['pglite', 'postgres'])('reference data on %s', (kind) => {
  let server: TestServer;
  let admin: SeededUser;
  let clerk: SeededUser;
  let today = Date.UTC(2026, 10, 24, 3, 0, 0);

  beforeAll(async () => {
    server = await startTestServer(kind, { now: () => today });
    await server.instansi('A1');
    admin = await server.user({ instansiId: 'A1', nip: '198001012005011001', role: 'admin' });
    clerk = await server.user({ instansiId: 'A1', nip: '198001012005011002' });
  });
  afterAll(() => server?.close());

  const importEmployees = (employees: unknown[], token = admin.token) => server.call('POST', '/v1/reference/employees', { token, body: { employees } });
  const employeeFeed = (since: string | number, limit = 200, token = clerk.token) => server.call('GET', `/v1/reference/employees?since=${since}&limit=${limit}`, { token });

  describe('employees', () => {
    it('imports SIASN-like records and gives them to any user of the instansi', async () => {
      const res = await importEmployees([
        { nip: NIPS[0], nama: 'Sari Wulandari, S.Pd.', tempatLahir: 'Bandung', tanggalLahir: '1985-03-15', golongan: 'III/b', jabatan: 'Guru Ahli Pertama', unitKerja: 'SMPN 1 Lembang', kedudukanHukum: '01' },
        { nip: '19900101 201503 1 001', nama: 'Budi Santoso', kedudukanHukum: '1' },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      const feed = await employeeFeed(0);
      expect(feed.body.items).toEqual([
        {
          nip: NIPS[0],
          kind: 'pns',
          nama: 'Sari Wulandari, S.Pd.',
          tempatLahir: 'Bandung',
          tanggalLahir: '1985-03-15',
          golongan: 'III/b',
          jabatan: 'Guru Ahli Pertama',
          unitKerja: 'SMPN 1 Lembang',
          kedudukanHukum: '01',
          updatedAt: new Date(today).toISOString(),
        },
        // The birth date comes from the NIP; a one-digit kedudukan hukum is padded as the workstation pads it.
        expect.objectContaining({ nip: NIPS[1], nama: 'Budi Santoso', tanggalLahir: '1990-01-01', kedudukanHukum: '01', golongan: null }),
      ]);
    });

    it('counts updated and unchanged records, and only changed ones move in the feed', async () => {
      const cursor = (await employeeFeed(0)).body.next;
      today += 60_000;
      const res = await importEmployees([
        { nip: NIPS[0], nama: 'Sari Wulandari, S.Pd.', tempatLahir: 'Bandung', tanggalLahir: '1985-03-15', golongan: 'III/c', jabatan: 'Guru Ahli Pertama', unitKerja: 'SMPN 1 Lembang', kedudukanHukum: '01' },
        { nip: NIPS[1], nama: 'Budi Santoso', kedudukanHukum: '01' },
        { nip: NIPS[2], nama: 'Dewi Lestari', kind: 'pns' },
      ]);
      expect(res.body).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
      const feed = await employeeFeed(cursor);
      expect(feed.body.items.map((e: { nip: string; golongan: string | null }) => [e.nip, e.golongan])).toEqual([
        [NIPS[0], 'III/c'],
        [NIPS[2], null],
      ]);
      expect((await employeeFeed(feed.body.next)).body).toEqual({ items: [], next: feed.body.next, more: false });
    });

    it('pages the feed with a cursor', async () => {
      const page = await employeeFeed(0, 1);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.more).toBe(true);
      const rest = await employeeFeed(page.body.next, 10);
      expect(rest.body.more).toBe(false);
      expect([...page.body.items, ...rest.body.items].map((e: { nip: string }) => e.nip).sort()).toEqual([NIPS[0], NIPS[1], NIPS[2]].sort());
    });

    it('refuses the whole batch when one record is wrong, naming each', async () => {
      const before = await tableCounts(server.deps.db);
      const res = await importEmployees([
        { nip: NIPS[3], nama: 'Benar Sekali' },
        { nip: '198503152010013003', nama: 'Gender Salah' },
        { nip: NIPS[0], nama: 'Tanggal Salah', tanggalLahir: '1985-03-16' },
        { nip: '199203152022011001', nama: 'Golongan Salah', golongan: 'III/z' },
        { nip: '197905122005011002', nama: 'Kedudukan Salah', kedudukanHukum: '55' },
        { nip: NIPS[3], nama: 'Dua Kali' },
        { nip: '199001012030011001', nama: 'TMT Nanti' },
      ]);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.details.rejected).toEqual([
        { index: 1, nip: '198503152010013003', reason: 'nip.gender' },
        { index: 2, nip: NIPS[0], reason: 'tanggal_lahir_mismatch' },
        { index: 3, nip: '199203152022011001', reason: 'golongan_unknown' },
        { index: 4, nip: '197905122005011002', reason: 'kedudukan_hukum_unknown' },
        { index: 5, nip: NIPS[3], reason: 'duplicate_of_0' },
        { index: 6, nip: '199001012030011001', reason: 'nip.tmt_future' },
      ]);
      expect(await tableCounts(server.deps.db)).toEqual(before);
    });

    it('checks an NI PPPK by the PPPK rules and golongan by the employee\'s kind', async () => {
      // Birth 1990-05-10, first appointment 2015, 13 contracts, female, serial 001: a PNS NIP cannot have month 13.
      const pppk = '199005102015132001';
      expect((await importEmployees([{ nip: pppk, nama: 'Rina', kind: 'pppk', golongan: 'IX' }])).status).toBe(200);
      const asPns = await importEmployees([{ nip: pppk, nama: 'Rina', kind: 'pns' }]);
      expect(asPns.body.error.details.rejected).toEqual([{ index: 0, nip: pppk, reason: 'nip.tmt_month' }]);
      const pnsRank = await importEmployees([{ nip: pppk, nama: 'Rina', kind: 'pppk', golongan: 'III/a' }]);
      expect(pnsRank.body.error.details.rejected).toEqual([{ index: 0, nip: pppk, reason: 'golongan_unknown' }]);
    });

    it('lets only an admin import', async () => {
      const before = await tableCounts(server.deps.db);
      const res = await importEmployees([{ nip: NIPS[3], nama: 'Siapa' }], clerk.token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(await tableCounts(server.deps.db)).toEqual(before);
    });
  });

  describe('document types', () => {
    const typeFeed = (since: string | number, token = clerk.token) => server.call('GET', `/v1/reference/document-types?since=${since}&limit=1000`, { token });
    const skBaru = {
      name: { id: 'SK Tugas Tambahan', en: 'Additional duty decree' },
      idRefDokumen: null,
      jenisRiwayat: null,
      category: 'pendukung',
      fields: [
        { key: 'nomor', required: true },
        { key: 'tanggal', required: true },
      ],
      maxBytes: 2 * 1024 * 1024,
      aliases: ['tugas tambahan'],
    };

    it('gives every user the shipped types, with the field definitions they use', async () => {
      const feed = await typeFeed(0);
      expect(feed.status).toBe(200);
      expect(feed.body.items.map((t: { code: string }) => t.code)).toEqual(shipped.documentTypes.map((t) => t.code));
      expect(feed.body.items.every((t: { custom: boolean }) => !t.custom)).toBe(true);
      expect(feed.body.items.find((t: { code: string }) => t.code === 'SK_PNS')).toMatchObject(shipped.documentTypes.find((t) => t.code === 'SK_PNS')!);
      expect(feed.body.fields).toEqual(shipped.fields);
      expect((await typeFeed(feed.body.next)).body.items).toEqual([]);
    });

    it('lets the admin add a type that documents can then use, and change a shipped one', async () => {
      const cursor = (await typeFeed(0)).body.next;
      const put = await server.call('PUT', '/v1/reference/document-types/SK_TUGAS_TAMBAHAN', { token: admin.token, body: skBaru });
      expect(put.status).toBe(200);
      expect(put.body.documentType).toMatchObject({ code: 'SK_TUGAS_TAMBAHAN', custom: true, fields: skBaru.fields });
      const drh = { ...shipped.documentTypes.find((t) => t.code === 'DRH')!, maxBytes: 4 * 1024 * 1024 };
      const { code: _code, ...drhBody } = drh;
      expect((await server.call('PUT', '/v1/reference/document-types/DRH', { token: admin.token, body: drhBody })).status).toBe(200);
      const feed = await typeFeed(cursor);
      expect(feed.body.items.map((t: { code: string; custom: boolean }) => [t.code, t.custom])).toEqual([
        ['SK_TUGAS_TAMBAHAN', true],
        ['DRH', true],
      ]);
      const upload = await completeUpload(server, { instansiId: 'A1', user: clerk });
      const missing = await server.call('POST', '/v1/documents', { token: clerk.token, body: commitBody(upload.id, { nip: NIPS[0], typeCode: 'SK_TUGAS_TAMBAHAN', fields: { nomor: '1/2026' } }) });
      expect(missing.body.error.details.problems).toEqual([{ field: 'fields.tanggal', reason: 'required' }]);
      const ok = await server.call('POST', '/v1/documents', { token: clerk.token, body: commitBody(upload.id, { nip: NIPS[0], typeCode: 'SK_TUGAS_TAMBAHAN', fields: { nomor: '1/2026', tanggal: '2026-01-05' } }) });
      expect(ok.status).toBe(200);
    });

    it('refuses field keys that have no definition, and writes from a non-admin', async () => {
      const before = await tableCounts(server.deps.db);
      const unknownField = await server.call('PUT', '/v1/reference/document-types/SK_X', { token: admin.token, body: { ...skBaru, fields: [{ key: 'warna', required: true }] } });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error).toMatchObject({ code: 'invalid_input', details: { unknownFields: ['warna'] } });
      const badCode = await server.call('PUT', '/v1/reference/document-types/sk-x', { token: admin.token, body: skBaru });
      expect(badCode.body.error.code).toBe('invalid_input');
      const byClerk = await server.call('PUT', '/v1/reference/document-types/SK_X', { token: clerk.token, body: skBaru });
      expect(byClerk.status).toBe(403);
      expect(await tableCounts(server.deps.db)).toEqual(before);
    });

    it('does not let a newer shipped list overwrite what the admin changed', async () => {
      // A second server process on the same database seeds again (as after an upgrade).
      const { ensureShippedTypes } = await import('../../../server/reference');
      const newer = { ...shipped, documentTypes: shipped.documentTypes.map((t) => ({ ...t, maxBytes: t.maxBytes + 1 })) };
      const cursor = (await typeFeed(0)).body.next;
      await ensureShippedTypes({ ...server.deps.db } as typeof server.deps.db, 'A1', newer, () => today);
      const feed = await typeFeed(cursor);
      const changed = feed.body.items.map((t: { code: string }) => t.code);
      expect(changed).toHaveLength(shipped.documentTypes.length - 1);
      expect(changed).not.toContain('DRH');
      expect(feed.body.items.find((t: { code: string }) => t.code === 'SK_PNS').maxBytes).toBe(shipped.documentTypes.find((t) => t.code === 'SK_PNS')!.maxBytes + 1);
    });
  });
});
