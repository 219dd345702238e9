// Separator sheets from the checklist: one button prints a sheet for every document the
// employee is missing, and each missing item has its own; main renders the PDF
// (separators.print) and the browser download saves it for the printer.
import { useState } from 'react';
import type { ChecklistItem } from '../../../../common/completeness';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { saveExported } from '../../shared/download';

/** Sheets the missing items call for: one per document still to come. */
export function missingSheetCount(items: readonly ChecklistItem[]): number {
  return items.filter((item) => item.status === 'missing' || item.status === 'rejected').reduce((sum, item) => sum + Math.max(1, item.expected - item.held), 0);
}

export function usePrintSeparators(nip: string) {
  const { host } = useServices();
  const tr = useT();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const print = async (key: string, typeCodes?: string[]) => {
    setBusy(key);
    setError(null);
    setDone(null);
    const result = await host.call('separators.print', typeCodes ? { nip, typeCodes } : { nip });
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
