// Command-line options of the Electron shell. Electron and Chromium put their own
// arguments and switches in argv too (the binary, the app folder, --no-sandbox ...), so only
// our options are picked out and everything else is left alone.

import nodePath from 'node:path';

export interface ShellArgs {
  /** Absolute profile folder from --data-dir, if given. */
  dataDir?: string;
  /** Usage errors, for the caller to print; a mistyped --data-dir must not silently open the real profile. */
  problems: string[];
}

export function parseShellArgs(argv: readonly string[], cwd: string, path: Pick<typeof nodePath, 'resolve'> = nodePath): ShellArgs {
  const result: ShellArgs = { problems: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value: string | undefined;
    if (arg === '--data-dir') {
      value = argv[i + 1];
      // A following switch is not a folder: `--data-dir --no-sandbox` is a missing value.
      if (value === undefined || value.startsWith('--')) value = '';
      else i++;
    } else if (arg.startsWith('--data-dir=')) {
      value = arg.slice('--data-dir='.length);
    } else {
      continue;
    }
    if (value === '') result.problems.push('--data-dir needs a folder: --data-dir DIR');
    else result.dataDir = path.resolve(cwd, value);
  }
  return result;
}
