// Audit ingest on the central server, on both databases: a device's hash-chained entries
// are verified against the chain the server holds for that device before any is kept; a
// break names the first bad entry and keeps nothing; resending is harmless; admins read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { auditEntries, tableCounts } from '../../helpers/server-documents';

describe.each<TestDbKind>(['pglite', 'postgres'])('audit ingest on %s', (kind) => {
  let server: TestServer;
  let admin: SeededUser;

  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.instansi('A1');
    admin = await server.user({ instansiId: 'A1', nip: '198001012005011001', role: 'admin' });
  });
  afterAll(() => server?.close());

  const workstation = async (nip: string) => server.user({ instansiId: 'A1', nip });
  const ingest = (device: SeededUser, entries: unknown[]) => server.call('POST', '/v1/audit/entries', { token: device.token, body: { entries } });

  it('stores a new device\'s chain from genesis and continues it batch by batch', async () => {
    const pc = await workstation('198001012005011002');
    const log = auditEntries(1, 5);
    const first = await ingest(pc, log.slice(0, 3));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ stored: 3, lastId: 3, lastHash: log[2].hash });
    const second = await ingest(pc, log.slice(3));
    expect(second.body).toEqual({ stored: 2, lastId: 5, lastHash: log[4].hash });
  });

  it('refuses a new device whose first entry does not start from genesis', async () => {
    const pc = await workstation('198001012005011003');
    const before = await tableCounts(server.deps.db);
    const res = await ingest(pc, auditEntries(4, 2, 'a'.repeat(64)));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'audit_chain_broken', details: { id: 4, reason: 'prev_hash', lastId: 0, lastHash: '0'.repeat(64) } });
    expect(await tableCounts(server.deps.db)).toEqual(before);
  });

  it('names the first edited entry and keeps nothing of the batch', async () => {
    const pc = await workstation('198001012005011004');
    const log = auditEntries(1, 6);
    await ingest(pc, log.slice(0, 2));
    const before = await tableCounts(server.deps.db);
    const edited = log.slice(2).map((entry) => (entry.id === 4 ? { ...entry, actor: 'orang lain' } : entry));
    const res = await ingest(pc, edited);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'audit_chain_broken', details: { id: 4, reason: 'hash', lastId: 2, lastHash: log[1].hash } });
    expect(await tableCounts(server.deps.db)).toEqual(before);
    // Entry 3 was fine but is not kept either: the device resends from 3.
    expect((await ingest(pc, log.slice(2))).body).toEqual({ stored: 4, lastId: 6, lastHash: log[5].hash });
  });

  it('refuses a batch that skips entries (a deleted entry breaks the link)', async () => {
    const pc = await workstation('198001012005011005');
    const log = auditEntries(1, 4);
    await ingest(pc, log.slice(0, 1));
    const res = await ingest(pc, [log[2], log[3]]);
    expect(res.body.error).toMatchObject({ code: 'audit_chain_broken', details: { id: 3, reason: 'prev_hash', lastId: 1 } });
  });

  it('takes a resent batch, or one that overlaps what is stored, without storing twice', async () => {
    const pc = await workstation('198001012005011006');
    const log = auditEntries(1, 5);
    await ingest(pc, log.slice(0, 3));
    const same = await ingest(pc, log.slice(0, 3));
    expect(same.body).toEqual({ stored: 0, lastId: 3, lastHash: log[2].hash });
    const overlap = await ingest(pc, log.slice(1));
    expect(overlap.body).toEqual({ stored: 2, lastId: 5, lastHash: log[4].hash });
    const { rows } = await server.deps.db.query('select count(*)::int as n from audit_entries where device_id = $1', [pc.deviceId]);
    expect(rows[0]).toEqual({ n: 5 });
  });

  it('refuses a resent entry that differs from the stored one', async () => {
    const pc = await workstation('198001012005011007');
    const log = auditEntries(1, 3);
    await ingest(pc, log);
    const rewritten = auditEntries(1, 3, undefined, 'orang lain');
    const res = await ingest(pc, rewritten);
    expect(res.body.error).toMatchObject({ code: 'audit_chain_broken', details: { id: 1, reason: 'differs_from_stored' } });
  });

  it('refuses entries out of order', async () => {
    const pc = await workstation('198001012005011008');
    const log = auditEntries(1, 3);
    const res = await ingest(pc, [log[0], log[2], log[1]]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('keeps each device\'s chain apart: the same entries from two devices both start at genesis', async () => {
    const one = await workstation('198001012005011009');
    const two = await workstation('198001012005011010');
    const log = auditEntries(1, 2);
    expect((await ingest(one, log)).body.stored).toBe(2);
    expect((await ingest(two, log)).body.stored).toBe(2);
  });

  it('accepts exactly one of two batches racing to extend the same tail', async () => {
    const pc = await workstation('198001012005011011');
    const log = auditEntries(1, 4);
    await ingest(pc, log.slice(0, 2));
    const answers = await Promise.all([ingest(pc, log.slice(2)), ingest(pc, log.slice(2))]);
    expect(answers.map((a) => a.body.stored).sort()).toEqual([0, 2]);
  });

  it('lists the instansi\'s entries to an admin, with filters and a cursor, and to nobody else', async () => {
    const pc = await workstation('198001012005011012');
    const log = auditEntries(1, 3);
    await ingest(pc, log);
    const page = await server.call('GET', `/v1/audit/entries?deviceId=${pc.deviceId}&limit=2`, { token: admin.token });
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual(log.slice(0, 2).map((entry) => ({ ...entry, deviceId: pc.deviceId, receivedAt: expect.any(String) })));
    expect(page.body.more).toBe(true);
    const rest = await server.call('GET', `/v1/audit/entries?deviceId=${pc.deviceId}&since=${page.body.next}`, { token: admin.token });
    expect(rest.body.items.map((e: { id: number }) => e.id)).toEqual([3]);
    const byAction = await server.call('GET', '/v1/audit/entries?action=login.succeeded', { token: admin.token });
    expect(byAction.body.items).toEqual([]);
    expect((await server.call('GET', '/v1/audit/entries', { token: pc.token })).status).toBe(403);
  });

  it('is append-only in the database itself', async () => {
    await expect(server.deps.db.query("update audit_entries set actor = 'x'")).rejects.toThrow(/append-only/);
    await expect(server.deps.db.query('delete from audit_entries')).rejects.toThrow(/append-only/);
  });
});
