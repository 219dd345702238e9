// Resumable uploads (tus at /v1/uploads) and their status.
import { routes } from './route';

export const uploadRoutes = routes({});
