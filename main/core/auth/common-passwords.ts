// Reads the workstation's password block lists from its resources folder; the rules that
// use them live in common/auth, shared with the central server.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK_LIST_FILES, parseBlockListFile, PASSWORDS_DIR, type PasswordBlockList } from '../../../common/auth/common-passwords';

export { EMPTY_BLOCK_LIST, type PasswordBlockList } from '../../../common/auth/common-passwords';

function readList(file: string): Set<string> {
  return existsSync(file) ? parseBlockListFile(readFileSync(file, 'utf8')) : new Set();
}

/** Loads resources/passwords/id-common.txt and id-words.txt (missing files give empty lists). */
export function loadPasswordBlockList(resourcesDir: string): PasswordBlockList {
  const dir = join(resourcesDir, PASSWORDS_DIR);
  return { passwords: readList(join(dir, BLOCK_LIST_FILES.passwords)), words: readList(join(dir, BLOCK_LIST_FILES.words)) };
}
