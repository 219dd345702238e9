// UI text in Bahasa Indonesia (screens, buttons, labels). Messages about data live in id.ts.
export const uiId = {
  'app.title': 'Lemari',
} as const;

export type UiKey = keyof typeof uiId;
