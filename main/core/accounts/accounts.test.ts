// How a server's failure reaches the admin (the paths a real server is hard to drive into):
// a timeout, an overloaded or failing server, an answer that is not the API's, and a
// refused input, each as a message without a stack, and each refusal audited.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { DmsCallError } from '../../infra/dms';
import type { AuditEntry, AuditLog } from '../audit';
import { translateId } from '../../../tests/helpers/profile';
import { createServerAccounts } from './index';

const ADMIN = { id: '198001012005011001', userId: 1 };

function accountsFailingWith(error: Error) {
  const entries: AuditEntry[] = [];
  const audit = { append: (entry: AuditEntry) => entries.push(entry) } as unknown as AuditLog;
  const accounts = createServerAccounts({
    translate: translateId,
    audit,
    hasSession: () => true,
    connect: () => () => Promise.reject(error),
    serverUrl: () => 'https://dms.contoh.go.id',
  });
  return { accounts, entries };
}

describe('server accounts: failures', () => {
  it.each([
    [new DmsCallError('timeout', 'No answer in time.', null), 'io', 'Server pusat (https://dms.contoh.go.id) tidak dapat dihubungi; periksa jaringan lalu coba lagi'],
    [new DmsCallError('unavailable', 'HTTP 502 Bad Gateway', 502), 'io', 'Server pusat (https://dms.contoh.go.id) sedang bermasalah; coba lagi nanti'],
    [new DmsCallError('internal', 'boom', 500), 'io', 'Server pusat (https://dms.contoh.go.id) sedang bermasalah; coba lagi nanti'],
    [new DmsCallError('invalid_input', 'email: not an e-mail address', 400), 'invalid_input', 'Server pusat menolak permintaan: email: not an e-mail address'],
    [new DmsCallError('forbidden', 'Admins only.', 403), 'forbidden', 'Akun Anda di server pusat bukan admin instansi; hanya admin yang mengelola akun server'],
  ])('%s answers %s with its message, audited', async (error, code, message) => {
    const { accounts, entries } = accountsFailingWith(error);
    const refused = await accounts.create(ADMIN, { nip: '199001012015031001', name: 'Rina', email: 'rina@contoh.go.id', role: 'clerk' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code, message });
    expect(entries).toEqual([{ actor: ADMIN.id, action: 'server_accounts.refused', nip: '199001012015031001', detail: { call: 'create', code, server: error.code } }]);
  });

  it('a local fault is not dressed up as the server\'s', async () => {
    const { accounts, entries } = accountsFailingWith(new TypeError('disk gone'));
    await expect(accounts.list(ADMIN)).rejects.toThrow(TypeError);
    expect(entries[0]).toMatchObject({ action: 'server_accounts.refused', detail: { call: 'list', code: 'internal' } });
  });
});
