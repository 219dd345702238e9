import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './runtime';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('the server runs with its Node flags wherever it is started', () => {
  const flags = SERVER_NODE_FLAGS.join(' ');

  it('from the lemari-server command (its shebang)', () => {
    expect(read('bin/lemari-server.js').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags}`);
  });

  it('from npm run server', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.server).toContain(`node ${flags} bin/lemari-server.js`);
  });

  it('from the systemd unit the deployment guide gives', () => {
    expect(read('docs/DEPLOY.md')).toMatch(new RegExp(`ExecStart=/usr/bin/node ${flags} /opt/lemari/bin/lemari-server\\.js serve`));
  });
});
