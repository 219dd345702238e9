// The header row of the sync tables: the column titles and, when the rows carry buttons, a
// last column named for screen readers only.
import { useT } from '../../shared/i18n';

export function TableHead({ columns, actions = false }: { columns: string[]; actions?: boolean }) {
  const tr = useT();
  return (
    <thead>
      <tr>
        {columns.map((title) => (
          <th key={title} scope="col">
            {title}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="visually-hidden">{tr('sync.col.actions')}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
