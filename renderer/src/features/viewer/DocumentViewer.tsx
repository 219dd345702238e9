// The document viewer laid over the current view: what the document is (type, employee,
// number, date, state) above the PDF view. Escape or the close button go back to where the
// clerk came from.
import { useEffect, useState } from 'react';
import type { DocumentDetail } from '../../../../common/contract';
import { formatBytes } from '../../../../common/i18n';
import { formatDate, useLocale, useT } from '../../shared/i18n';
import { typeName } from '../../shared/reference';
import { useServices } from '../../shared/services';
import { ErrorBox, StateBadge } from '../../shared/ui';
import { PdfView } from './PdfView';

export function DocumentViewer({ id, onClose }: { id: number; onClose: () => void }) {
  const { host, reference } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

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
      <PdfView id={id} autoFocus onClose={onClose} />
    </div>
  );
}
