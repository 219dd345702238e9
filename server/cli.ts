// The `lemari-server` command. `serve` (the default) starts a node and stops it gracefully
// on SIGTERM/SIGINT; the administration commands work on the same database directly.
import { parseArgs } from 'node:util';
import { startServer } from './app';
import { loadConfig } from './config';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: lemari-server [serve] [--port N] [--host H] [--data-dir DIR]

Environment: DATABASE_URL (PostgreSQL; default PGlite in DIR/pg), S3_BUCKET and S3_* (object
storage; default DIR/blobs), SMTP_URL (default: mails written to DIR/mail), LOG_LEVEL.
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const flags = Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (command === 'serve') {
    const server = await startServer(loadConfig(flags, io.env));
    io.stderr.write(`lemari-server: listening on ${server.url}\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        server.close().then(done, done);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  }
  io.stderr.write(`lemari-server: unknown command "${command}"\n${USAGE}`);
  return 2;
}
