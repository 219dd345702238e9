// Maintenance: checks that the archive is whole. The database passes SQLite's own
// integrity check, and every document's bytes are on disk with the hash the row records.
// Blobs no row points at are what a crash between blob write and commit leaves: counted,
// harmless, never reported as problems.

import type { VerifyReport } from '../../../common/contract';
import type { BlobStore } from '../../infra/blobs';
import type { Db } from '../../infra/db';
import type { AuditLog } from '../audit';
import type { Translate } from '../ports';

export interface MaintenanceDeps {
  db: Db;
  blobs: BlobStore;
  translate: Translate;
  audit: AuditLog;
}

export interface Maintenance {
  verify(): Promise<VerifyReport>;
}

type Problem = VerifyReport['problems'][number];

export function createMaintenance({ db, blobs, translate, audit }: MaintenanceDeps): Maintenance {
  return {
    async verify() {
      const problems: Problem[] = [];
      // FTS5's own integrity-check needs the indexed text, which contentless tables do not keep.
      const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
      const findings = integrity.map((row) => row.integrity_check).filter((line) => line !== 'ok');
      if (findings.length > 0) {
        problems.push({ kind: 'integrity', documentId: null, message: translate('verify.integrity', { detail: findings.slice(0, 5).join('; ') }) });
      }

      const chain = audit.verify();
      if (chain.firstBreak) {
        problems.push({ kind: 'audit_chain', documentId: null, message: translate('verify.audit_chain', { id: chain.firstBreak.id, reason: translate(`verify.audit_${chain.firstBreak.reason}`) }) });
      }

      // A destroyed (musnah) document keeps its metadata on purpose while its bytes are gone.
      const documents = db
        .prepare("SELECT id, sha256 FROM documents WHERE id NOT IN (SELECT document_id FROM document_disposals WHERE disposition = 'musnah') ORDER BY id")
        .all() as { id: number; sha256: string }[];
      const referenced = new Set<string>();
      for (const { id, sha256 } of documents) {
        referenced.add(sha256);
        const onDisk = await blobs.hashOnDisk(sha256);
        if (onDisk === null) problems.push({ kind: 'blob_missing', documentId: id, message: translate('verify.blob_missing', { id, sha: sha256 }) });
        else if (onDisk !== sha256) problems.push({ kind: 'blob_mismatch', documentId: id, message: translate('verify.blob_mismatch', { id, sha: sha256 }) });
      }

      let blobCount = 0;
      let orphans = 0;
      for await (const sha of blobs.list()) {
        blobCount++;
        if (!referenced.has(sha)) orphans++;
      }
      return { ok: problems.length === 0, documents: documents.length, blobs: blobCount, orphans, auditEntries: chain.entries, problems };
    },
  };
}
