// Passwords on the server: the workstation's policy and argon2id settings (common/auth)
// over the native binding, and the same block lists, read from the resources/ folder the
// server ships with.
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BLOCK_LIST_FILES, parseBlockListFile, PASSWORDS_DIR, type PasswordBlockList } from '../../common/auth/common-passwords';
import { passwordHasher } from '../../common/auth/password';

export const passwords = passwordHasher({ hash, verify, parseOptions });

let blockList: PasswordBlockList | undefined;

/**
 * resources/passwords, found above this module (server/auth in the repository,
 * out/main once built). Missing lists would quietly let common passwords through, so
 * their absence stops the server instead.
 */
export function serverBlockList(from = import.meta.dirname): PasswordBlockList {
  if (blockList) return blockList;
  for (let dir = from; ; dir = dirname(dir)) {
    const lists = join(dir, 'resources', PASSWORDS_DIR);
    if (existsSync(join(lists, BLOCK_LIST_FILES.words))) {
      const read = (file: string) => parseBlockListFile(readFileSync(join(lists, file), 'utf8'));
      blockList = { passwords: read(BLOCK_LIST_FILES.passwords), words: read(BLOCK_LIST_FILES.words) };
      return blockList;
    }
    if (dirname(dir) === dir) throw new Error(`resources/${PASSWORDS_DIR} not found above ${from}: the server ships with the repository's resources/ folder`);
  }
}
