// The server's migrations, in order. Same SQL on PostgreSQL and PGlite. After a release,
// migrations only add: never edit or reorder one that has shipped.
import core from './001-core';
import auth from './002-auth';
import uploads from './003-uploads';
import documents from './004-documents';
import reference from './005-reference';
import audit from './006-audit';
import refreshSuccessor from './007-refresh-successor';
import userDisabled from './008-user-disabled';

export interface Migration {
  id: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'core', statements: core },
  { id: 2, name: 'auth', statements: auth },
  { id: 3, name: 'uploads', statements: uploads },
  { id: 4, name: 'documents', statements: documents },
  { id: 5, name: 'reference', statements: reference },
  { id: 6, name: 'audit', statements: audit },
  { id: 7, name: 'refresh-successor', statements: refreshSuccessor },
  { id: 8, name: 'user-disabled', statements: userDisabled },
];
