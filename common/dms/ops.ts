// Operations routes: liveness and readiness for load balancers and systemd, and the
// OpenAPI document. (Prometheus metrics are served as text at /metrics, outside v1.)
import { z } from 'zod';
import { routes } from './route';

export const opsRoutes = routes({
  'ops.health': {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: the process answers.',
    tag: 'ops',
    access: 'public',
    response: z.object({ status: z.literal('ok') }),
  },
  'ops.ready': {
    method: 'GET',
    path: '/readyz',
    summary: 'Readiness: the database answers and the node is not shutting down (503 otherwise).',
    tag: 'ops',
    access: 'public',
    response: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']), blobs: z.enum(['directory', 's3']) }),
  },
});
