// The document viewer laid over the current view: what the document is (type, employee,
// number, date, state) above the PDF view, with the page tools (PageTools.tsx) between
// them. Escape or the close button go back to where the clerk came from.
import { useCallback, useEffect, useState } from 'react';
import type { DocumentDetail } from '../../../../common/contract';
import { formatBytes } from '../../../../common/i18n';
import { formatDate, useLocale, useT } from '../../shared/i18n';
import { typeName } from '../../shared/reference';
import { useServices } from '../../shared/services';
import { ErrorBox, StateBadge } from '../../shared/ui';
import { PdfView } from './PdfView';
import { PageTools } from './PageTools';
// Size budget (issue 6): the over-budget warning and the optimizer's side-by-side.
import { OptimizeCompare } from './OptimizeCompare';

export function DocumentViewer({ id, onClose }: { id: number; onClose: () => void }) {
  const { host, reference } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Page tools (issue 6): the page shown, and a count of saved edits that remounts the view on the new bytes.
  const [page, setPage] = useState(1);
  const [edits, setEdits] = useState(0);
  const edited = useCallback((next: DocumentDetail, at: number) => {
    setDetail(next);
    setPage(at);
    setEdits((count) => count + 1);
  }, []);

  useEffect(() => {
    let cancelled = false;
    void host.call('documents.get', { id }).then((result) => {
      if (cancelled) return;
      if (result.ok) setDetail(result.value);
      else setError(result.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [host, id]);

  const title = detail ? typeName(reference, detail.typeCode, locale) || detail.originalName : tr('viewer.title', { id });

  return (
    <div className="viewer-overlay" role="dialog" aria-modal="true" aria-labelledby="viewer-title" data-testid="viewer">
      <header className="viewer-head">
        <h2 id="viewer-title">{title}</h2>
        {detail && (
          <dl className="facts">
            <div>
              <dt>{tr('doc.nip')}</dt>
              <dd>{detail.nip ?? '—'}</dd>
            </div>
            <div>
              <dt>{tr('doc.nama')}</dt>
              <dd>{detail.nama ?? '—'}</dd>
            </div>
            <div>
              <dt>{tr('doc.nomor')}</dt>
              <dd>{detail.nomor ?? '—'}</dd>
            </div>
            <div>
              <dt>{tr('doc.tanggal')}</dt>
              <dd>{formatDate(detail.tanggal, locale) || '—'}</dd>
            </div>
            <div>
              <dt>{tr('doc.state')}</dt>
              <dd>
                <StateBadge state={detail.state} />
              </dd>
            </div>
            <div>
              <dt>{tr('doc.file')}</dt>
              <dd>
                {detail.originalName} · {formatBytes(detail.size, locale)}
              </dd>
            </div>
          </dl>
        )}
      </header>
      <ErrorBox message={error} />
      {detail && <OptimizeCompare detail={detail} onChanged={(next) => edited(next, 1)} />}
      {detail && <PageTools detail={detail} page={page} onChanged={edited} />}
      <PdfView key={edits} id={id} autoFocus onClose={onClose} initialPage={page} onPageChange={setPage} />
    </div>
  );
}
