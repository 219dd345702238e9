// Conflicts with the central server (issue 5): a document edited here whose server copy was
// changed elsewhere meanwhile. Each shows the local and the server version side by side
// (NIP, type, fields, file name, whether the bytes differ); the clerk chooses with the
// buttons or the keyboard on the focused conflict (L keeps local, S takes the server's).
// Nothing is decided here: main resolves (sync.resolveConflict) and audits the choice.
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { SyncConflict } from '../../../../common/contract';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Keys, Notice } from '../../shared/ui';

type Side = SyncConflict['local'];

function SideView({ title, side }: { title: string; side: Side | null }) {
  const tr = useT();
  if (!side) return <div className="conflict-side muted">{title}</div>;
  const keys = [...new Set(Object.keys(side.fields))].sort();
  return (
    <div className="conflict-side">
      <h4>{title}</h4>
      <dl>
      <dt>{tr('conflicts.nip')}</dt>
      <dd>{side.nip ?? '—'}</dd>
      <dt>{tr('conflicts.type')}</dt>
      <dd>{side.typeCode ?? '—'}</dd>
      {keys.map((key) => (
        <div key={key} className="conflict-field">
          <dt>{key}</dt>
          <dd data-testid={`field-${key}`}>{side.fields[key]}</dd>
        </div>
      ))}
      <dt>{tr('conflicts.fileName')}</dt>
      <dd>{side.fileName}</dd>
      <dt>{tr('conflicts.updatedAt')}</dt>
      <dd>{side.updatedAt}</dd>
      </dl>
    </div>
  );
}

export function ConflictsPanel({ active = true }: { active?: boolean }) {
  const { host } = useServices();
  const tr = useT();
  const [items, setItems] = useState<SyncConflict[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const answer = await host.call('sync.conflicts', {});
    if (answer.ok) setItems(answer.value.items);
    else setError(answer.error.message);
  }, [host]);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  async function resolve(documentId: number, keep: 'local' | 'server') {
    setBusy(true);
    const answer = await host.call('sync.resolveConflict', { documentId, keep });
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    setError(null);
    setDone(tr(keep === 'local' ? 'conflicts.resolvedLocal' : 'conflicts.resolvedServer'));
    await load();
  }

  function onKey(event: KeyboardEvent, documentId: number) {
    if (busy || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key !== 'l' && key !== 's') return;
    event.preventDefault();
    void resolve(documentId, key === 'l' ? 'local' : 'server');
  }

  return (
    <section className="card conflicts" aria-labelledby="conflicts-title" data-testid="sync-conflicts">
      <h3 id="conflicts-title">{tr('conflicts.title')}</h3>
      <ErrorBox message={error} />
      {done && <Notice tone="success">{done}</Notice>}
      {items.length === 0 ? (
        <p className="muted">{tr('conflicts.empty')}</p>
      ) : (
        <>
          <p className="muted">
            {tr('conflicts.intro')} <Keys keys={['L']} /> <Keys keys={['S']} />
          </p>
          {items.map((item) => (
            <article
              key={item.documentId}
              className="conflict"
              tabIndex={0}
              data-testid={`conflict-${item.documentId}`}
              aria-label={item.message}
              onKeyDown={(event) => onKey(event, item.documentId)}
            >
              <p>{item.message}</p>
              <div className="conflict-sides">
                <SideView title={tr('conflicts.local')} side={item.local} />
                <SideView title={item.server ? tr('conflicts.server', { version: item.server.version }) : tr('conflicts.serverUnknown')} side={item.server} />
              </div>
              <p className="muted">{tr(item.bytesDiffer ? 'conflicts.bytesDiffer' : 'conflicts.bytesSame')}</p>
              <div className="actions">
                <button type="button" disabled={busy} onClick={() => void resolve(item.documentId, 'local')}>
                  {tr('conflicts.keepLocal')}
                </button>
                <button type="button" disabled={busy || !item.server} onClick={() => void resolve(item.documentId, 'server')}>
                  {tr('conflicts.keepServer')}
                </button>
              </div>
            </article>
          ))}
        </>
      )}
    </section>
  );
}
