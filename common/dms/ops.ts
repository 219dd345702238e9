// Operations routes: liveness and readiness for load balancers and systemd, and the
// OpenAPI document. (Prometheus metrics are served as text at /metrics, outside v1 and
// outside this table: a scraper is not an API client, and its access rule is its own.)
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
  'ops.openapi': {
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document (also kept in the repository as docs/openapi.json).',
    tag: 'ops',
    access: 'public',
    response: null,
  },
});
