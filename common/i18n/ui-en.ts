// UI text in English: the same keys as ui-id.ts, checked by the compiler.
import type { UiKey } from './ui-id';

export const uiEn: Record<UiKey, string> = {
  'app.title': 'Lemari',
};
