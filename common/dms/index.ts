// The central DMS API (v1), declared once: every route's method, path, access and
// schemas. Shared by server/ (handlers, OpenAPI) and the workstation's DMS client.
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { documentRoutes } from './documents';
import { opsRoutes } from './ops';
import { referenceRoutes } from './reference';
import { uploadRoutes } from './uploads';
import { userRoutes } from './users';

export const DMS_API_VERSION = 'v1';

export const dmsRoutes = {
  ...opsRoutes,
  ...authRoutes,
  ...userRoutes,
  ...uploadRoutes,
  ...documentRoutes,
  ...referenceRoutes,
  ...auditRoutes,
};

export type DmsRoutes = typeof dmsRoutes;
export type DmsRouteName = keyof DmsRoutes;

export * from './errors';
export * from './route';
