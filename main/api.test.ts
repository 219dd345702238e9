import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../common/errors';
import { t } from '../common/i18n';
import { newSession } from './access';
import { createApi, type Handlers } from './api';

const translate = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t('id', key, params);
const admin = { ...newSession(0), user: { id: 1, nip: '199001012015031001', nama: 'Admin', role: 'admin' as const }, mfa: true };
const context = { session: admin };
const options = { now: () => 1000, idleLockMinutes: () => 15, refresh: () => true };

function apiWith(overrides: Partial<Handlers>) {
  const logger = { error: vi.fn(), info: vi.fn() };
  return { api: createApi(overrides as Handlers, translate, logger, options), logger };
}

describe('createApi', () => {
  it('validates input against the contract before any handler runs', async () => {
    const handler = vi.fn();
    const { api } = apiWith({ 'documents.get': handler });
    const result = await api.call('documents.get', { id: 'satu' }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(handler).not.toHaveBeenCalled();
    expect(await api.call('documents.get', { id: 1, extra: true }, context)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('answers an unknown method with not_found', async () => {
    const { api } = apiWith({});
    expect(await api.call('documents.drop', {}, context)).toEqual({ ok: false, error: { code: 'not_found', message: 'Perintah "documents.drop" tidak dikenal' } });
    expect(await api.call('__proto__', {}, context)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('turns an AppError into its code and message', async () => {
    const { api } = apiWith({ 'documents.get': () => { throw new AppError('not_found', 'Dokumen #5 tidak ditemukan'); } });
    expect(await api.call('documents.get', { id: 5 }, context)).toEqual({ ok: false, error: { code: 'not_found', message: 'Dokumen #5 tidak ditemukan' } });
  });

  it('hides unexpected errors as internal, logs them, and sends no stack', async () => {
    const { api, logger } = apiWith({ 'employees.units': () => { throw new TypeError('secret path /home/x'); } });
    const result = await api.call('employees.units', {}, context);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: t('id', 'error.internal') } });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(logger.error).toHaveBeenCalled();
  });

  it('refuses output that does not match the contract', async () => {
    const { api } = apiWith({ 'employees.units': () => [1, 2] as unknown as string[] });
    expect(await api.call('employees.units', {}, context)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('passes parsed input with defaults to the handler', async () => {
    const handler = vi.fn(() => ({ items: [], total: 0, totalCapped: false }));
    const { api } = apiWith({ 'search.query': handler });
    expect(await api.call('search.query', { text: 'budi' }, context)).toEqual({ ok: true, value: { items: [], total: 0, totalCapped: false } });
    expect(handler).toHaveBeenCalledWith({ text: 'budi', limit: 50, offset: 0 }, context);
  });

  it('answers unauthenticated before login and forbidden for the wrong role, before the handler runs', async () => {
    const handler = vi.fn(() => []);
    const { api } = apiWith({ 'users.list': handler });
    expect(await api.call('users.list', {}, { session: newSession(0) })).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Silakan masuk dulu' } });
    const clerk = { ...admin, user: { ...admin.user, role: 'clerk' as const } };
    expect(await api.call('users.list', {}, { session: clerk })).toEqual({ ok: false, error: { code: 'forbidden', message: 'Peran Anda (pengelola arsip) tidak berhak melakukan ini' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('ends the session when the account is gone', async () => {
    const logger = { error: vi.fn(), info: vi.fn() };
    const api = createApi({ 'users.list': () => [] } as unknown as Handlers, translate, logger, { ...options, refresh: () => false });
    const session = { ...admin };
    expect(await api.call('users.list', {}, { session })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(session.user).toBeNull();
  });
});
