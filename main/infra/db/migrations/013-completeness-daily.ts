// The daily progress chart of completeness (main/core/completeness/export.ts): one row per
// day with the office's figures as they stood at the last look that day. Scores are kept
// only as they are now (completeness_scores), so yesterday's figures exist only if stored.
export const name = 'completeness-daily';

export const sql = /* sql */ `
CREATE TABLE completeness_daily (
  -- The clerk's local date, YYYY-MM-DD.
  day TEXT PRIMARY KEY,
  employees INTEGER NOT NULL,
  average_score REAL NOT NULL,
  lengkap INTEGER NOT NULL,
  recorded_at TEXT NOT NULL
) WITHOUT ROWID;
`;
