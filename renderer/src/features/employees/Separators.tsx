// Separator sheets from the checklist: one button prints a sheet for every document the
// employee is missing, and each missing item has its own; main renders the PDF
// (separators.print) and the browser download saves it for the printer.
import { useState } from 'react';
import { wantedSheets, type ChecklistItem } from '../../../../common/completeness';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { saveExported } from '../../shared/download';

/** Sheets the missing items call for, as separators.print counts them (common/completeness.ts). */
export function missingSheetCount(items: readonly ChecklistItem[]): number {
  return items.reduce((sum, item) => sum + wantedSheets(item).length, 0);
}

export function usePrintSeparators(nip: string) {
  const { host } = useServices();
  const tr = useT();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  /** Every missing item's sheets ('missing'), or one item's (its rule key). */
  const print = async (key: string) => {
    setBusy(key);
    setError(null);
    setDone(null);
    const result = await host.call('separators.print', key === 'missing' ? { nip } : { nip, items: [key] });
    setBusy(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveExported(result.value);
    setDone(tr('separators.printed', { fileName: result.value.fileName }));
  };

  const status = (
    <>
      <ErrorBox message={error} />
      {done && <Notice tone="success">{done}</Notice>}
    </>
  );
  return { busy, print, status };
}
