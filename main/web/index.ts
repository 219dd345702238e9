// The browser host's composition root (`node out/main/web.js`, `npm run start:web`): opens
// the profile, serves the UI and the contract on 127.0.0.1, and prints the one line a person
// or a test needs: `Lemari: http://127.0.0.1:PORT/#token=TOKEN`. Everything else goes to
// stderr so that line is easy to parse.
//
// Flags: --data-dir DIR (else LEMARI_DATA_DIR, else the OS user-data folder), --port N
// (0 = any free port, the default), --open / --no-open (default: print, do not open).

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../api';
import { openProfile } from '../profile';
import { findResourcesDir } from '../infra/reference';
import { KeyFileSecretStore, SecretStoreError, secretStoreMessage } from '../infra/secrets';
import { ConfSettingsStore, defaultDataDir, resolveDataDir } from '../infra/settings';
import { t } from '../../common/i18n';
import { startWebServer } from './server';

const logger: Logger = {
  error: (message, detail) => console.error(`[lemari] ${message}`, detail ?? ''),
  info: (message, detail) => console.error(`[lemari] ${message}`, detail ?? ''),
};

/** out/renderer beside the built main/, or the project's out/renderer when run from source. */
function findRendererDir(resourcesDir: string): string {
  const candidates = [join(import.meta.dirname, '..', 'renderer'), join(dirname(resourcesDir), 'out', 'renderer')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the built renderer was not found (looked in ${candidates.join(', ')}); run \`npx electron-vite build\``);
  return found;
}

function readVersion(resourcesDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(dirname(resourcesDir), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', (error) => logger.error('could not open a browser; open the address above by hand', error.message));
  child.unref();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      open: { type: 'boolean', default: false },
      'no-open': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${values.port}`);

  const dataDir = resolve(resolveDataDir(values['data-dir'], process.env, () => defaultDataDir(process.platform, process.env, homedir())));
  const resourcesDir = findResourcesDir(import.meta.dirname);
  const rendererDir = findRendererDir(resourcesDir);
  const settings = new ConfSettingsStore(dataDir);
  // The browser host, like the CLI, keeps the profile's keys in a 0600 key file (DESIGN.md).
  let profile;
  try {
    profile = await openProfile({ dataDir, host: 'web', resourcesDir, settings, logger, version: readVersion(resourcesDir), secrets: new KeyFileSecretStore(dataDir), watchHotFolders: true, ocr: true });
  } catch (error) {
    if (error instanceof SecretStoreError) throw new Error(secretStoreMessage(error, (key, params) => t(settings.get().locale, key, params)), { cause: error });
    throw error;
  }
  const server = await startWebServer({ profile, rendererDir, settings, logger, port });

  process.stdout.write(`Lemari: ${server.url}\n`);
  logger.info(`profile ${dataDir}`);
  if (values.open && !values['no-open']) openBrowser(server.url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: closing`);
    await server.close();
    await profile.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : 'failed to start', error instanceof Error ? '' : error);
  process.exit(1);
});
