// A clerk's pause of the sync (issue 5) outlives the app: while this row stands, nothing
// starts a run on its own (the scheduler's end-of-day window, the link coming back, an OS
// scheduler's `lemari sync`) until a run is started or resumed by hand, or the queue is
// cancelled. Before this the pause lived in memory and a restart forgot it.
export const name = 'sync-hold';

export const sql = /* sql */ `
CREATE TABLE sync_hold (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  paused_at TEXT NOT NULL,
  -- The NIP of whoever paused.
  paused_by TEXT NOT NULL
);
`;
