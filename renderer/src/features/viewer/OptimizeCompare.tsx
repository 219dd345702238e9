// The size budget in the viewer (issue 6, main/core/optimize): a document over its type's
// budget shows a warning and "Optimalkan"; the optimized version is then shown beside the
// original (the same page rendered from each, with both sizes) and becomes the document's
// content only when the clerk accepts it. The original is kept until the server verified.
import { useEffect, useState } from 'react';
import type { DocumentDetail, OptimizePreview, OptimizeProposal, OptimizeStatus } from '../../../../common/contract';
import { formatBytes } from '../../../../common/i18n';
import { useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';

interface OptimizeCompareProps {
  detail: DocumentDetail;
  /** The optimized version was accepted: the document as it is now. */
  onChanged(detail: DocumentDetail): void;
}

const side = { flex: '1 1 0', minWidth: 0, display: 'flex', flexDirection: 'column', gap: '0.5rem' } as const;
const image = { width: '100%', border: '1px solid #ccc', background: '#fff' } as const;

export function OptimizeCompare({ detail, onChanged }: OptimizeCompareProps) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [status, setStatus] = useState<OptimizeStatus | null>(null);
  const [proposal, setProposal] = useState<OptimizeProposal | null>(null);
  const [preview, setPreview] = useState<OptimizePreview | null>(null);
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState(false);
  // Pages done while "Optimalkan" runs (main pushes optimize.onDidProgress per page).
  const [progress, setProgress] = useState<{ pagesDone: number; pageCount: number } | null>(null);
  const { id, sha256 } = detail;

  useEffect(
    () =>
      host.on((name, payload) => {
        if (name === 'optimize.onDidProgress' && payload.id === id) setProgress(payload);
      }),
    [host, id],
  );

  useEffect(() => {
    let cancelled = false;
    void host.call('optimize.status', { id }).then((result) => {
      if (cancelled || !result.ok) return;
      setStatus(result.value);
      setProposal(result.value.proposal);
    });
    return () => {
      cancelled = true;
    };
  }, [host, id, sha256]);

  useEffect(() => {
    if (!proposal) return;
    let cancelled = false;
    setPreview(null);
    void host.call('optimize.preview', { id, page }).then((result) => {
      if (cancelled) return;
      if (result.ok) setPreview(result.value);
      else setError(result.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [host, id, page, proposal]);

  async function optimize() {
    setBusy(true);
    setError(null);
    setProgress(null);
    const result = await host.call('optimize.propose', { id });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setPage(1);
    setProposal(result.value);
  }

  async function accept() {
    setBusy(true);
    setError(null);
    const result = await host.call('optimize.accept', { id });
    if (!result.ok) {
      setBusy(false);
      return setError(result.error.message);
    }
    const next = await host.call('documents.get', { id });
    setBusy(false);
    setStatus(result.value);
    setProposal(null);
    setAccepted(true);
    if (next.ok) onChanged(next.value);
  }

  async function discard() {
    const result = await host.call('optimize.discard', { id });
    if (result.ok) setStatus(result.value);
    setProposal(null);
    setPreview(null);
  }

  if (accepted) return <Notice tone="success">{tr('optimize.accepted')}</Notice>;
  if (!status || (!status.overBudget && !proposal)) return null;
  const size = (bytes: number) => formatBytes(bytes, locale);
  const max = size(status.maxBytes);

  return (
    <section className="optimize" data-testid="optimize">
      {!proposal && (
        <Notice tone="warning">
          <span data-testid="optimize-warning">{tr('optimize.overBudget', { size: size(status.size), max })}</span>{' '}
          <button type="button" className="primary" onClick={() => void optimize()} disabled={busy}>
            {busy ? (progress ? tr('optimize.workingPage', { done: progress.pagesDone, count: progress.pageCount }) : tr('optimize.working')) : tr('optimize.run')}
          </button>
        </Notice>
      )}
      <ErrorBox message={error} />
      {proposal && (
        <div data-testid="optimize-compare">
          <h3>{tr('optimize.title')}</h3>
          <div style={{ display: 'flex', gap: '1rem' }}>
            <figure style={side}>
              <figcaption data-testid="optimize-original-size">{tr('optimize.original', { size: size(proposal.before) })}</figcaption>
              {preview && <img style={image} src={preview.original} alt={tr('optimize.original', { size: size(proposal.before) })} data-testid="optimize-original" />}
            </figure>
            <figure style={side}>
              <figcaption data-testid="optimize-optimized-size">{tr('optimize.optimized', { size: size(proposal.after) })}</figcaption>
              {preview && <img style={image} src={preview.optimized} alt={tr('optimize.optimized', { size: size(proposal.after) })} data-testid="optimize-optimized" />}
            </figure>
          </div>
          <p>{proposal.underBudget ? tr('optimize.underBudget', { max }) : tr('optimize.stillOver', { max })}</p>
          <div style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', flexWrap: 'wrap' }}>
            <button type="button" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={page <= 1} aria-label={tr('optimize.prevPage')}>
              ‹
            </button>
            <span>{tr('optimize.page', { page, count: proposal.pageCount })}</span>
            <button type="button" onClick={() => setPage((p) => Math.min(proposal.pageCount, p + 1))} disabled={page >= proposal.pageCount} aria-label={tr('optimize.nextPage')}>
              ›
            </button>
            <button type="button" className="primary" onClick={() => void accept()} disabled={busy}>
              {tr('optimize.accept')}
            </button>
            <button type="button" onClick={() => void discard()} disabled={busy}>
              {tr('optimize.discard')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
