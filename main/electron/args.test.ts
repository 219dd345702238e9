import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShellArgs } from './args';

describe('parseShellArgs', () => {
  it('reads --data-dir in both spellings, among Electron and Chromium arguments', () => {
    expect(parseShellArgs(['.', '--data-dir', '/srv/lemari/uji'], '/home/sari', posix)).toEqual({ dataDir: '/srv/lemari/uji', problems: [] });
    expect(parseShellArgs(['--no-sandbox', '--data-dir=/srv/x', '--enable-logging'], '/home/sari', posix)).toEqual({ dataDir: '/srv/x', problems: [] });
  });

  it('resolves a relative folder against the working directory', () => {
    expect(parseShellArgs(['--data-dir', 'profil'], '/home/sari', posix).dataDir).toBe('/home/sari/profil');
  });

  it('reports a missing value instead of falling back to the real profile', () => {
    expect(parseShellArgs(['--data-dir'], '/', posix).problems).toHaveLength(1);
    expect(parseShellArgs(['--data-dir='], '/', posix).problems).toHaveLength(1);
    const swallowed = parseShellArgs(['--data-dir', '--no-sandbox'], '/', posix);
    expect(swallowed.dataDir).toBeUndefined();
    expect(swallowed.problems).toHaveLength(1);
  });

  it('leaves the default alone when no option is given', () => {
    expect(parseShellArgs(['/opt/Lemari/lemari', '--enable-logging'], '/', posix)).toEqual({ problems: [] });
  });
});
