// Small presentational pieces the features share: error and notice boxes, the state badge,
// a document thumbnail that quietly disappears when there is none, keyboard hints.
import { useState, type ReactNode } from 'react';
import type { DocumentState } from '../../../common/contract';
import { pick } from '../../../common/i18n';
import { useLocale, useT } from './i18n';
import { useServices } from './services';

export function ErrorBox({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'warning' | 'success' }) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

export function StateBadge({ state }: { state: DocumentState }) {
  const tr = useT();
  return <span className={`badge badge-${state}`}>{tr(state === 'ready' ? 'state.ready' : 'state.draft')}</span>;
}

export function Thumbnail({ id, className = 'thumb' }: { id: number; className?: string }) {
  const { host } = useServices();
  const [missing, setMissing] = useState(false);
  if (missing) return <span className={`${className} thumb-missing`} aria-hidden="true" />;
  return <img className={className} src={host.thumbnailUrl(id)} alt="" loading="lazy" onError={() => setMissing(true)} />;
}

/** A key or key chord shown to the user, e.g. <Keys keys={['Ctrl', 'Enter']} />. */
export function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="keys">
      {keys.map((key, index) => (
        <kbd key={index}>{key}</kbd>
      ))}
    </span>
  );
}

/** The options of a document-type select, in the reference data's order and the UI's language. */
export function DocumentTypeOptions() {
  const { reference } = useServices();
  const locale = useLocale();
  return (
    <>
      {reference.documentTypes.map((type) => (
        <option key={type.code} value={type.code}>
          {pick(type.name, locale)}
        </option>
      ))}
    </>
  );
}
