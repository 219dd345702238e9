// "Impor riwayat": a SIASN history export (golongan, jabatan, pendidikan, pindah instansi,
// CLTN) beside the employee import, with the kind chosen or told from the columns, and the
// same report of refused rows. The completeness checklist counts from what it imports.
import { useState } from 'react';
import { HISTORY_KINDS, type HistoryKind } from '../../../../common/history';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { SheetImport } from './SheetImport';

export function ImportHistory({ onImported }: { onImported: () => void }) {
  const { host } = useServices();
  const tr = useT();
  const [kind, setKind] = useState<HistoryKind | ''>('');

  return (
    <SheetImport
      id="history"
      title={tr('history.import')}
      hint={tr('history.importHint')}
      pick={tr('history.pick')}
      onImported={onImported}
      run={async (file) => {
        const ref = await host.fileRef(file);
        return ref.ok ? host.call('employees.importHistory', { file: ref.value, ...(kind === '' ? {} : { kind }) }) : ref;
      }}
      summary={(report) =>
        tr('history.summary', { kind: tr(`history.kind.${report.kind}`), inserted: report.inserted, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected.length })
      }
    >
      <label>
        {tr('history.kind')}{' '}
        <select value={kind} onChange={(event) => setKind(event.target.value as HistoryKind | '')} data-testid="history-kind">
          <option value="">{tr('history.kind.auto')}</option>
          {HISTORY_KINDS.map((k) => (
            <option key={k} value={k}>
              {tr(`history.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>{' '}
    </SheetImport>
  );
}
