// Audit ingest: a workstation's hash-chained entries, verified on arrival.
import { routes } from './route';

export const auditRoutes = routes({});
