// Documents: commit, update with version, changes since a cursor, download.
import { routes } from './route';

export const documentRoutes = routes({});
