// Authentication, activation, devices and tokens.
import { routes } from './route';

export const authRoutes = routes({});
