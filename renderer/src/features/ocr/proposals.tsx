// OCR in the labelling form (issue 6): the reading status of the document on screen and
// the label values proposed from its text, each shown beside its field with a button; the
// clerk takes one with a click or Enter in the empty field. Nothing is filled on its own.
import { useEffect, useState } from 'react';
import type { OcrStatus } from '../../../../common/contract';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';

/** While a document is being read its status is asked for this often. */
const POLL_MS = 1500;

export type OcrField = 'nip' | 'nomor' | 'tanggal' | 'tmt';

/** The status of `documentId`, refreshed until its reading is over. */
export function useOcrStatus(documentId: number | null): OcrStatus | null {
  const { host } = useServices();
  const [status, setStatus] = useState<OcrStatus | null>(null);
  useEffect(() => {
    setStatus(null);
    if (documentId === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      void host.call('ocr.status', { documentId }).then((result) => {
        if (cancelled || !result.ok) return;
        setStatus(result.value);
        if (result.value.status === 'pending' || result.value.status === 'running') timer = setTimeout(poll, POLL_MS);
      });
    };
    poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [host, documentId]);
  return status;
}

/** The proposal for `key` worth showing: one that differs from what the field holds. */
export function proposalFor(status: OcrStatus | null, key: string, current: string): string | null {
  const value = status?.proposals?.[key as OcrField] ?? null;
  return value && value !== current.replace(/[\s.]/g, '') && value !== current ? value : null;
}

export function OcrProposal({ field, value, onAccept }: { field: string; value: string | null; onAccept: (value: string) => void }) {
  const tr = useT();
  if (!value) return null;
  return (
    <span className="field-note ocr-proposal" data-testid={`ocr-proposal-${field}`}>
      {tr('ocr.proposal', { value })}{' '}
      <button type="button" tabIndex={-1} data-testid={`ocr-accept-${field}`} title={tr('ocr.acceptHint')} onClick={() => onAccept(value)}>
        {tr('ocr.accept')}
      </button>
    </span>
  );
}

/** "Reading 1/3" while the document is read, the reason when it failed; nothing otherwise. */
export function OcrProgress({ status }: { status: OcrStatus | null }) {
  const tr = useT();
  if (status?.status === 'pending' || status?.status === 'running') {
    return (
      <p className="hint" role="status" data-testid="ocr-status">
        {tr('ocr.reading', { done: status.pagesDone, total: status.pageCount })}
      </p>
    );
  }
  if (status?.status === 'failed') {
    return (
      <p className="hint" data-testid="ocr-status">
        {tr('ocr.failed', { reason: status.error ?? '' })}
      </p>
    );
  }
  return null;
}
