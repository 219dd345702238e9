// server/ops: health and readiness.
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import type { Handlers } from '../http/routes';

export interface Lifecycle {
  /** False once shutdown has begun: readiness fails so the balancer stops sending work. */
  accepting: boolean;
}

export function opsHandlers(deps: ServerDeps, lifecycle: Lifecycle): Pick<Handlers, 'ops.health' | 'ops.ready'> {
  return {
    'ops.health': async () => ({ status: 'ok' }),
    'ops.ready': async () => {
      if (!lifecycle.accepting) throw new DmsError('unavailable', 'This node is shutting down.');
      try {
        await deps.db.query('select 1');
      } catch {
        throw new DmsError('unavailable', 'The database does not answer.');
      }
      return { status: 'ready', database: deps.db.kind, blobs: deps.blobs.kind };
    },
  };
}
