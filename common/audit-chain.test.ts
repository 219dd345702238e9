import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditChain, GENESIS_HASH, type AuditRow } from './audit-chain';

const chain = auditChain((text) => createHash('sha256').update(text).digest('hex'));
const first: AuditRow = { id: 1, at: '2026-11-24T08:00:00.000Z', actor: 'sari', action: 'document.viewed', document_id: 7, nip: '199001012015031001', detail: '{"n":"ü"}' };
const second: AuditRow = { ...first, id: 2, document_id: null, nip: null };

describe('audit chain', () => {
  it('hashes exactly as the workstation always has (logs written before the move still verify)', () => {
    // Values computed by the workstation's chain before it moved to common/.
    const h1 = chain.entryHash(GENESIS_HASH, first);
    expect(h1).toBe('2d27568c7e9d8625ddd3fea92740bd17c3a2e2a12410fc60aa0c503199cec92b');
    expect(chain.entryHash(h1, second)).toBe('4273f3afb4f00cc482d925608fec70d5a827cbcec97df47059bacd39d1f1983d');
  });

  it('walks a continuation from a stored tail, not only from genesis', () => {
    const [l1, l2] = chain.chainRows([first, second]);
    const tail = [{ ...second, prev_hash: l2.prevHash, hash: l2.hash }];
    expect(chain.findBreak(tail, l1.hash)).toBeNull();
    expect(chain.findBreak(tail)).toEqual({ id: 2, reason: 'prev_hash' });
    expect(chain.findBreak([{ ...tail[0], actor: 'budi' }], l1.hash)).toEqual({ id: 2, reason: 'hash' });
  });
});
