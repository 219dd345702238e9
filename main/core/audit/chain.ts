// The audit log's hash chain on the workstation: the shared definition in
// common/audit-chain.ts (also what the server verifies against) with node's SHA-256.
import { createHash } from 'node:crypto';
import { auditChain } from '../../../common/audit-chain';

export { GENESIS_HASH, canonical, type AuditRow, type ChainBreak } from '../../../common/audit-chain';

export const { entryHash, chainRows, findBreak } = auditChain((text) => createHash('sha256').update(text).digest('hex'));
