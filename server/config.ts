// The server's configuration: command-line flags over environment variables over defaults.
// With no setup at all it runs one node on 127.0.0.1 with PGlite and blobs in a data
// directory; DATABASE_URL and S3_* move it onto shared infrastructure for several nodes.
import { resolve } from 'node:path';

export interface S3Config {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  blobs: { kind: 'directory'; dir: string } | ({ kind: 's3' } & S3Config);
  /** Where tus keeps uploads in progress (a directory every node can reach). */
  uploadDir: string;
  /** The server key that seals secrets kept in the database (server/auth/sealing.ts); the same file on every node. */
  secretKeyFile: string;
  mail: { kind: 'folder'; dir: string; from: string } | { kind: 'smtp'; url: string; from: string };
  /** Largest JSON body, bytes. */
  bodyLimit: number;
  /** Largest document upload, bytes. */
  maxUploadBytes: number;
  /** Abandoned uploads are removed after this many hours without progress. */
  uploadExpiryHours: number;
  accessTokenSeconds: number;
  refreshTokenDays: number;
  /** How long a spent refresh token may be exchanged again while its successor is unused (a lost answer); 0 turns it off. */
  refreshReuseGraceSeconds: number;
  /**
   * Whose X-Forwarded-For gives the client address (rate limits, logs): false (nobody), a
   * number of proxy hops, or the proxies' addresses/CIDRs. Never "every hop": the leftmost
   * entry of the header is whatever the client wrote.
   */
  trustProxy: false | number | string[];
  /** Fixed-window limits of the auth routes, counted in the database across nodes (server/http/rate-limit.ts). */
  rateLimit: { windowSeconds: number; perAddress: number; perNip: number };
  logLevel: string;
  /** Bearer token for /metrics; unset, /metrics answers direct loopback connections only. */
  metricsToken?: string;
  /** On SIGTERM, in-flight requests get this long to finish before the process exits non-zero. */
  shutdownTimeoutSeconds: number;
}

const MIB = 1024 * 1024;

export type ConfigSource = Record<string, string | undefined>;

/**
 * TRUST_PROXY: unset, `0` or `false` trusts no proxy; a whole number N trusts N hops (`1`:
 * the one reverse proxy in front, whose appended entry is taken; `true` means the same);
 * otherwise a comma-separated list of the proxies' addresses or CIDRs, and only a
 * connection from one of them may name the client.
 */
export function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const value = (raw ?? '').trim();
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const bad = list.find((part) => !/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(part));
  if (bad !== undefined) throw new Error(`TRUST_PROXY must be a hop count or proxy addresses/CIDRs separated by commas, got "${bad}"`);
  return list;
}

export function loadConfig(flags: ConfigSource = {}, env: ConfigSource = process.env): ServerConfig {
  const pick = (flag: string, name: string) => flags[flag] ?? env[name];
  const dataDir = resolve(pick('data-dir', 'LEMARI_SERVER_DATA') ?? '.lemari-server');
  const int = (flag: string, name: string, fallback: number) => {
    const raw = pick(flag, name);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag ? `--${flag}` : name} must be a whole number, got "${raw}"`);
    return n;
  };
  const s3Bucket = env.S3_BUCKET;
  return {
    host: pick('host', 'HOST') ?? '127.0.0.1',
    port: int('port', 'PORT', 8720),
    dataDir,
    databaseUrl: pick('database-url', 'DATABASE_URL') || undefined,
    blobs: s3Bucket
      ? {
          kind: 's3',
          endpoint: env.S3_ENDPOINT || undefined,
          region: env.S3_REGION ?? 'us-east-1',
          bucket: s3Bucket,
          accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
          forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
        }
      : { kind: 'directory', dir: resolve(pick('blob-dir', 'LEMARI_BLOB_DIR') ?? resolve(dataDir, 'blobs')) },
    uploadDir: resolve(pick('upload-dir', 'LEMARI_UPLOAD_DIR') ?? resolve(dataDir, 'uploads')),
    secretKeyFile: resolve(pick('secret-key-file', 'LEMARI_SECRET_KEY_FILE') ?? resolve(dataDir, 'secret.key')),
    mail: env.SMTP_URL
      ? { kind: 'smtp', url: env.SMTP_URL, from: env.MAIL_FROM ?? 'Lemari <lemari@localhost>' }
      : { kind: 'folder', dir: resolve(pick('mail-dir', 'LEMARI_MAIL_DIR') ?? resolve(dataDir, 'mail')), from: env.MAIL_FROM ?? 'Lemari <lemari@localhost>' },
    bodyLimit: int('', 'LEMARI_BODY_LIMIT', 1 * MIB),
    maxUploadBytes: int('', 'LEMARI_MAX_UPLOAD_BYTES', 2048 * MIB),
    uploadExpiryHours: int('', 'LEMARI_UPLOAD_EXPIRY_HOURS', 24),
    accessTokenSeconds: int('', 'LEMARI_ACCESS_TOKEN_SECONDS', 15 * 60),
    refreshTokenDays: int('', 'LEMARI_REFRESH_TOKEN_DAYS', 30),
    refreshReuseGraceSeconds: int('', 'LEMARI_REFRESH_REUSE_GRACE_SECONDS', 10 * 60),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    rateLimit: {
      windowSeconds: int('', 'LEMARI_RATE_WINDOW_SECONDS', 60),
      perAddress: int('', 'LEMARI_RATE_PER_ADDRESS', 120),
      perNip: int('', 'LEMARI_RATE_PER_NIP', 10),
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    metricsToken: env.METRICS_TOKEN || undefined,
    shutdownTimeoutSeconds: int('', 'LEMARI_SHUTDOWN_TIMEOUT_SECONDS', 30),
  };
}
