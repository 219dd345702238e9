// Reference data of an instansi: employees and document types, with change cursors.
import { routes } from './route';

export const referenceRoutes = routes({});
