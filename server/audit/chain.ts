// The audit hash chain on the server: the workstation's own definition
// (common/audit-chain.ts) with node's SHA-256, so both ends hash the same bytes.
import { createHash } from 'node:crypto';
import { auditChain } from '../../common/audit-chain';

export { GENESIS_HASH } from '../../common/audit-chain';

export const { findBreak } = auditChain((text) => createHash('sha256').update(text).digest('hex'));
