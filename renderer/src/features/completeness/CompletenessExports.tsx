// The Kelengkapan view's files: the gap list of the chosen scope as XLSX or PDF and the
// picking list to pull folders by (shelf order or the work queue's). Main renders them
// (completeness.exportGaps / completeness.pickingList); the browser download saves them.
import { useState } from 'react';
import type { MethodInput } from '../../../../common/contract';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { saveExported } from '../../shared/download';

type Job = 'xlsx' | 'pdf' | 'picking';
type PickingOrder = NonNullable<MethodInput<'completeness.pickingList'>['order']>;

export function CompletenessExports({ unitKerja }: { unitKerja: string }) {
  const { host } = useServices();
  const tr = useT();
  const [busy, setBusy] = useState<Job | null>(null);
  const [order, setOrder] = useState<PickingOrder>('unit');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (job: Job) => {
    setBusy(job);
    setError(null);
    setDone(null);
    const scope = unitKerja === '' ? {} : { unitKerja };
    const result = job === 'picking' ? await host.call('completeness.pickingList', { ...scope, order }) : await host.call('completeness.exportGaps', { ...scope, format: job });
    setBusy(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveExported(result.value);
    setDone(tr('completeness.exported', { fileName: result.value.fileName }));
  };

  const label = (job: Job, text: Parameters<typeof tr>[0]) => (busy === job ? tr('completeness.exporting') : tr(text));
  return (
    <div className="completeness-exports" data-testid="completeness-exports">
      <div className="inline">
        <button type="button" disabled={busy !== null} onClick={() => void run('xlsx')} data-testid="completeness-export-xlsx">
          {label('xlsx', 'completeness.exportXlsx')}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void run('pdf')} data-testid="completeness-export-pdf">
          {label('pdf', 'completeness.exportPdf')}
        </button>
        <label>
          {tr('completeness.pickingOrder')}{' '}
          <select value={order} onChange={(event) => setOrder(event.target.value as PickingOrder)} data-testid="completeness-picking-order">
            <option value="unit">{tr('completeness.orderUnit')}</option>
            <option value="queue">{tr('completeness.orderQueue')}</option>
          </select>
        </label>
        <button type="button" disabled={busy !== null} onClick={() => void run('picking')} data-testid="completeness-picking">
          {label('picking', 'completeness.picking')}
        </button>
      </div>
      <ErrorBox message={error} />
      {done && <Notice tone="success">{done}</Notice>}
    </div>
  );
}
