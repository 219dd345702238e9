// How `lemari-server serve` stops: on SIGTERM or SIGINT the node fails readiness, stops
// accepting, lets in-flight requests (uploads included) finish, then closes the database.
// A drain longer than the configured timeout is cut: the remaining connections are closed
// and the process exits non-zero, so systemd or an orchestrator sees an unclean stop.
// A second signal during the drain gets Node's default: immediate exit.
import type { RunningServer } from '../app';

/** After cutting the connections, this long for the database to close before a hard exit. */
const CUT_GRACE_MS = 5000;

function delay(ms: number): { promise: Promise<'timeout'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Waits for SIGTERM or SIGINT, drains and closes `server`; resolves to the exit code. */
export async function serveUntilSignal(server: RunningServer, timeoutSeconds: number, stderr: NodeJS.WritableStream): Promise<number> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const on = (received: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(received);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
  server.deps.log.info({ signal, timeoutSeconds }, 'shutdown: draining in-flight requests');
  stderr.write(`lemari-server: ${signal}, draining in-flight requests (up to ${timeoutSeconds} s)\n`);

  const closing = server.close().then(
    () => 'closed' as const,
    (error: unknown) => error,
  );
  const limit = delay(timeoutSeconds * 1000);
  const outcome = await Promise.race([closing, limit.promise]);
  limit.cancel();
  if (outcome === 'closed') {
    stderr.write('lemari-server: stopped\n');
    return 0;
  }
  if (outcome !== 'timeout') {
    server.deps.log.error({ err: outcome }, 'shutdown: closing failed');
    stderr.write(`lemari-server: stopping failed: ${outcome instanceof Error ? outcome.message : String(outcome)}\n`);
    return 1;
  }

  server.deps.log.error({ timeoutSeconds }, 'shutdown: requests still in flight after the timeout; closing their connections');
  stderr.write(`lemari-server: requests still in flight after ${timeoutSeconds} s; closing their connections\n`);
  server.app.server.closeAllConnections();
  const grace = delay(CUT_GRACE_MS);
  await Promise.race([closing, grace.promise]);
  grace.cancel();
  // Should something still hold the event loop (a stuck query), do not hang the stop.
  setTimeout(() => process.exit(1), CUT_GRACE_MS).unref();
  return 1;
}
