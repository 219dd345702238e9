import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { t } from '../../../common/i18n';
import { findResourcesDir } from '../../infra/reference';
import { loadPasswordBlockList } from './common-passwords';
import { hashPassword, needsRehash, passwordProblem, passwordProblemMessage, verifyPassword } from './password';

const blockList = loadPasswordBlockList(findResourcesDir(import.meta.dirname));
const person = { nip: '199001012015011001', nama: 'Budi Santoso' };
const problem = (password: string, context: { nip: string; nama: string; previous?: string } = person) => passwordProblem(password, context, blockList)?.reason ?? null;

describe('password policy (NIST SP 800-63B)', () => {
  it('wants 8 to 128 characters, counted as a person counts them, with no composition rules', () => {
    expect(problem('kuda7ek')).toBe('too_short');
    expect(problem('kudalari')).toBeNull();
    expect(problem('a'.repeat(20) + 'kuda lari di sawah hijau' + 'b'.repeat(20))).toBeNull(); // 64
    expect(problem('pohon mangga di halaman belakang rumah nenek '.repeat(3).slice(0, 100))).toBeNull();
    expect(problem('x'.repeat(128).replace(/x/g, (_, i: number) => String.fromCharCode(97 + (i % 26))))).toBeNull();
    expect(problem('y'.repeat(129))).toBe('too_long');
    // Seven emoji are seven characters (fourteen UTF-16 units), so still too short.
    expect(problem('🐢🐢🐢🐢🐢🐢🐢')).toBe('too_short');
    expect(problem('🐢🐢🐢🐢 kura')).toBeNull();
  });

  it('refuses common and breached passwords whatever their case', () => {
    expect(problem('password123')).toBe('common');
    expect(problem('PassWord123')).toBe('common');
    expect(problem('qwertyuiop')).toBe('common');
    expect(problem('iloveyou123')).toBe('common');
  });

  it('refuses the Indonesian and workplace words of resources/passwords, with digits around them', () => {
    expect(problem('akusayangkamu')).toBe('common');
    expect(problem('Bismillah123')).toBe('guessable');
    expect(problem('lemari2026!')).toBe('guessable');
    expect(problem('@BKD2025')).toBe('guessable');
    expect(problem('kata sandi 1')).toBe('guessable');
    expect(problem('bismillah lancar jaya')).toBeNull();
  });

  it('refuses the NIP, the birth date in it and the name', () => {
    expect(problem('199001012015011001')).toBe('personal');
    expect(problem('nip199001012015011001')).toBe('personal');
    expect(problem('19900101')).toBe('personal');
    expect(problem('01011990')).toBe('personal');
    expect(problem('Budi Santoso')).toBe('personal');
    expect(problem('santoso2024')).toBe('personal');
    expect(problem('budi suka kopi tubruk')).toBeNull();
  });

  it('refuses the old password as the new one, also in another Unicode form', () => {
    expect(problem('ｋｕｄａｌａｒｉ', { ...person, previous: 'kudalari' })).toBe('unchanged');
    expect(problem('kudaterbang', { ...person, previous: 'kudalari' })).toBeNull();
  });

  it('says what is wrong in Indonesian', () => {
    const translate = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t('id', key, params);
    expect(passwordProblemMessage({ reason: 'too_short', min: 8 }, translate)).toBe('Kata sandi minimal 8 karakter');
    expect(passwordProblemMessage({ reason: 'common' }, translate)).toMatch(/paling sering dipakai atau pernah bocor/);
  });
});

describe('password hashing', () => {
  it('uses argon2id with at least 19 MiB and 2 passes, one lane', async () => {
    const stored = await hashPassword('kuda lari kencang');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const used = parseOptions(stored);
    expect(used.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(used.timeCost).toBeGreaterThanOrEqual(2);
    expect(stored).not.toContain('kuda');
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(await hashPassword('kuda lari kencang', { memoryCost: 8192, timeCost: 1, parallelism: 1 }))).toBe(true);
  });

  it('verifies the password in any Unicode form of it, and nothing else', async () => {
    const stored = await hashPassword('ｋｕｄａ lari');
    expect(await verifyPassword(stored, 'kuda lari')).toBe(true);
    expect(await verifyPassword(stored, 'kuda lari ')).toBe(false);
    expect(await verifyPassword('not a hash', 'kuda lari')).toBe(false);
  });
});
