// The `lemari-server` command. `serve` (the default) starts a node and stops it gracefully
// on SIGTERM/SIGINT; the administration commands work on the same database directly
// (the same --data-dir or DATABASE_URL, migrated first), so an operator can set up an
// instansi and its first admin before any node runs, without a network.
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { startServer } from './app';
import { checkServerKey, loadServerKey, SecretSealer } from './auth/sealing';
import { loadSecretDigest } from './auth/secrets';
import { listDevices, revokeDevice } from './auth/devices';
import { listAccounts, updateAccount } from './auth/accounts';
import { createPendingAccount } from './auth/users';
import { loadConfig, type ServerConfig } from './config';
import { openDb, type Db } from './db';
import { migrate } from './db/migrate';
import { DmsError } from './http/errors';
import { serveUntilSignal } from './ops/shutdown';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: lemari-server [serve] [--port N] [--host H] [--data-dir DIR] [--secret-key-file F]
       lemari-server instansi create <id> <name>
       lemari-server admin create --instansi ID --nip NIP --name NAME --email E [--json]
       lemari-server devices list --instansi ID [--json]
       lemari-server devices revoke <deviceId>
       lemari-server users list --instansi ID [--json]
       lemari-server users disable <nip> | users enable <nip> [--json]

Environment: DATABASE_URL (PostgreSQL; default PGlite in DIR/pg), S3_BUCKET and S3_* (object
storage; default DIR/blobs), SMTP_URL (default: mails written to DIR/mail), LOG_LEVEL,
LEMARI_RATE_WINDOW_SECONDS, LEMARI_RATE_PER_ADDRESS, LEMARI_RATE_PER_NIP (auth rate limits),
LEMARI_SECRET_KEY_FILE (the server key that seals TOTP secrets and token keys in the database;
default DIR/secret.key, made on first start; the same file on every node, kept with backups).

The administration commands open the database themselves. With the embedded database
(PGlite in DIR/pg) stop the server first: one process at a time may open it.

users disable ends every session of an account at once (an admin does the same for the
accounts of their instansi over the API, users.update); users enable lets it log in again.

admin create makes a pending admin account and prints a one-time activation code and the
authenticator to scan. The admin activates at a workstation: NIP, activation code and a
new password (reset/confirm), then a code from the authenticator app (mfa/activate).
`;

/** A wrong invocation: the usage is printed and the exit code is 2. */
class UsageError extends Error {}

type Options = Record<string, string | boolean | undefined>;

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function positional(args: string[], index: number, what: string): string {
  const value = args[index];
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

async function withDb<T>(config: ServerConfig, fn: (db: Db, sealer: SecretSealer) => Promise<T>): Promise<T> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pg`, poolSize: 2 });
  try {
    await migrate(db);
    // The same key as the server's: an account made here must open on every node.
    const sealer = new SecretSealer(await loadServerKey(config.secretKeyFile));
    await checkServerKey(db, sealer, config.secretKeyFile);
    return await fn(db, sealer);
  } finally {
    await db.close();
  }
}

const print = (io: CliIo, text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

type AdminCommand = (db: Db, args: string[], options: Options, io: CliIo, sealer: SecretSealer) => Promise<void>;

const ADMIN_COMMANDS: Record<string, AdminCommand> = {
  async 'instansi create'(db, args, options, io) {
    const id = positional(args, 0, 'the instansi id');
    const name = args.slice(1).join(' ').trim();
    if (!/^[A-Za-z0-9]{1,16}$/.test(id)) throw new DmsError('invalid_input', `An instansi id is 1 to 16 letters and digits, got "${id}".`);
    if (name === '') throw new UsageError('the instansi name is required');
    const { rowCount } = await db.query('insert into instansi (id, name) values ($1, $2) on conflict (id) do nothing', [id, name]);
    if (rowCount === 0) throw new DmsError('conflict', `Instansi ${id} exists already.`);
    print(io, options.json ? JSON.stringify({ id, name }) : `Instansi ${id} (${name}) created.`);
  },

  async 'admin create'(db, _args, options, io, sealer) {
    const input = { instansiId: required(options, 'instansi'), nip: required(options, 'nip'), name: required(options, 'name'), email: required(options, 'email') };
    const digest = await loadSecretDigest(db, sealer);
    const made = await db.transaction((tx) => createPendingAccount(tx, digest, sealer, { ...input, role: 'admin' }, Date.now()));
    if (options.json) {
      print(io, JSON.stringify({ ...input, role: 'admin', status: 'pending', ...made }));
      return;
    }
    print(
      io,
      [
        `Admin account ${made.nip} created for instansi ${input.instansiId}, pending activation.`,
        `Akun admin ${made.nip} dibuat untuk instansi ${input.instansiId}, menunggu aktivasi.`,
        '',
        `Activation code / Kode aktivasi: ${made.activationCode}  (valid until / berlaku sampai ${made.activationCodeExpiresAt})`,
        '',
        'Scan this with the authenticator app / Pindai dengan aplikasi autentikator:',
        await QRCode.toString(made.otpauthUri, { type: 'terminal', small: true }),
        `  ${made.otpauthUri}`,
        `  secret: ${made.totpSecret}`,
        '',
        'Then at a workstation: account activation with the NIP, this code and a new password, then a code from the app.',
        'Lalu di workstation: aktivasi akun dengan NIP, kode ini dan kata sandi baru, lalu kode dari aplikasi.',
      ].join('\n'),
    );
  },

  async 'devices list'(db, _args, options, io) {
    const devices = await listDevices(db, required(options, 'instansi'));
    if (options.json) {
      print(io, JSON.stringify(devices));
      return;
    }
    if (devices.length === 0) {
      print(io, 'No devices registered.');
      return;
    }
    for (const d of devices) {
      const state = d.revokedAt ? `revoked ${d.revokedAt}` : `last seen ${d.lastSeenAt ?? 'never'}`;
      print(io, `${d.id}  ${d.name}  (${d.registeredBy ? `${d.registeredBy.nip} ${d.registeredBy.name}` : 'unknown'}; ${state})`);
    }
  },

  async 'devices revoke'(db, args, options, io) {
    const id = positional(args, 0, 'the device id');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new DmsError('invalid_input', `Not a device id: ${id}.`);
    const device = await revokeDevice(db, id, new Date().toISOString());
    print(io, options.json ? JSON.stringify(device) : `Device ${device.id} (${device.name}, instansi ${device.instansiId}) revoked at ${device.revokedAt}.`);
  },

  async 'users list'(db, _args, options, io) {
    const accounts = await listAccounts(db, required(options, 'instansi'));
    if (options.json) {
      print(io, JSON.stringify(accounts));
      return;
    }
    if (accounts.length === 0) print(io, 'No accounts.');
    for (const a of accounts) print(io, `${a.nip}  ${a.name}  ${a.role}  ${a.status}${a.email ? `  <${a.email}>` : ''}`);
  },

  async 'users disable'(db, args, options, io) {
    const account = await updateAccount(db, { nip: positional(args, 0, 'the NIP'), instansiId: null }, { status: 'disabled' }, new Date().toISOString());
    print(io, options.json ? JSON.stringify(account) : `Account ${account.nip} (${account.name}) disabled; every session of it has ended.`);
  },

  async 'users enable'(db, args, options, io) {
    const account = await updateAccount(db, { nip: positional(args, 0, 'the NIP'), instansiId: null }, { status: 'active' }, new Date().toISOString());
    print(io, options.json ? JSON.stringify(account) : `Account ${account.nip} (${account.name}) enabled: ${account.status}.`);
  },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'secret-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      instansi: { type: 'string' },
      nip: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const flags = Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (command === 'serve') {
    const config = loadConfig(flags, io.env);
    const server = await startServer(config);
    io.stderr.write(`lemari-server: listening on ${server.url}\n`);
    return serveUntilSignal(server, config.shutdownTimeoutSeconds, io.stderr);
  }
  const admin = ADMIN_COMMANDS[`${command} ${positionals[1] ?? ''}`];
  if (!admin) {
    io.stderr.write(`lemari-server: unknown command "${positionals.slice(0, 2).join(' ')}"\n${USAGE}`);
    return 2;
  }
  try {
    await withDb(loadConfig(flags, io.env), (db, sealer) => admin(db, positionals.slice(2), values, io, sealer));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`lemari-server: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof DmsError) {
      io.stderr.write(`lemari-server: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
