// Proves the walls between runtimes: ESLint, with the project's own config, rejects a
// main/core file importing electron, a renderer file reaching Node or main/, and a common/
// file importing anything outside common/. The files are virtual (lintText with a path), so
// nothing is written into the tree.

import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The wall rules a virtual file at `path` breaks, as "rule: import" strings. */
async function wallErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  expect(result.fatalErrorCount, `${path} must parse`).toBe(0);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => `${m.ruleId}@${m.line}`);
}

describe('the wall around main/core', () => {
  it('refuses electron and the shells', async () => {
    const errors = await wallErrors(
      'main/core/documents/wall-probe.ts',
      [
        "import { app } from 'electron';", // 1
        "import { startWebServer } from '../../web/server';", // 2
        "import { createMainWindow } from '../../electron/window';", // 3
        "import { EventBus } from '../events';", // 4: allowed
        "import { readFile } from 'node:fs/promises';", // 5: allowed, core is Node
        'export { app, startWebServer, createMainWindow, EventBus, readFile };',
      ].join('\n'),
    );
    expect(errors).toEqual(['no-restricted-imports@1', 'no-restricted-imports@2', 'no-restricted-imports@3']);
  });

  it('does not apply to the Electron shell itself', async () => {
    expect(await wallErrors('main/electron/wall-probe.ts', "import { app } from 'electron';\nexport { app };")).toEqual([]);
  });
});

describe('the wall around renderer/', () => {
  it('refuses Node, Electron, main/ and preload/, type-only imports included', async () => {
    const errors = await wallErrors(
      'renderer/src/wall-probe.ts',
      [
        "import { readFileSync } from 'node:fs';", // 1
        "import { join } from 'path';", // 2
        "import { ipcRenderer } from 'electron';", // 3
        "import { createApi } from '../../main/api';", // 4
        "import type { Api } from '../../main/api';", // 5
        "import '../../preload/index';", // 6
        "import { contract } from '../../common/contract';", // 7: allowed
        "export const late = () => import('node:child_process');", // 8
        'export type { Api };',
        'export { readFileSync, join, ipcRenderer, createApi, contract };',
      ].join('\n'),
    );
    expect(errors).toEqual([
      'no-restricted-imports@1',
      'no-restricted-imports@2',
      'no-restricted-imports@3',
      'no-restricted-imports@4',
      'no-restricted-imports@5',
      'no-restricted-imports@6',
      'no-restricted-syntax@8',
    ]);
  });

  it('holds at every folder depth', async () => {
    expect(await wallErrors('renderer/src/features/capture/deep/wall-probe.tsx', "import { createApi } from '../../../../../main/api';\nexport { createApi };")).toEqual([
      'no-restricted-imports@1',
    ]);
  });
});

describe('the wall around preload/', () => {
  it('lets the sandboxed preload load electron and common/, and nothing of Node or main/', async () => {
    const errors = await wallErrors(
      'preload/wall-probe.ts',
      [
        "import { contextBridge } from 'electron';", // 1: allowed
        "import { BRIDGE_CHANNELS } from '../common/bridge';", // 2: allowed
        "import { readFileSync } from 'node:fs';", // 3
        "import { createApi } from '../main/api';", // 4
        'export { contextBridge, BRIDGE_CHANNELS, readFileSync, createApi };',
      ].join('\n'),
    );
    expect(errors).toEqual(['no-restricted-imports@3', 'no-restricted-imports@4']);
  });

  it('holds for the real preload', async () => {
    const [result] = await eslint.lintFiles([`${root}/preload/index.ts`]);
    expect(result.messages).toEqual([]);
  });
});

describe('the wall around common/', () => {
  it('refuses node:*, electron, react and anything outside common/', async () => {
    const errors = await wallErrors(
      'common/wall-probe.ts',
      [
        "import { join } from 'node:path';", // 1
        "import { app } from 'electron';", // 2
        "import { useState } from 'react';", // 3
        "import { createRoot } from 'react-dom/client';", // 4
        "import { createApi } from '../main/api';", // 5
        "import data from '../resources/reference-data.json';", // 6
        "import { t } from './i18n';", // 7: allowed
        "import { z } from 'zod';", // 8: allowed, a pure library
        'export { join, app, useState, createRoot, createApi, data, t, z };',
      ].join('\n'),
    );
    expect(errors).toEqual([
      'no-restricted-imports@1',
      'no-restricted-imports@2',
      'no-restricted-imports@3',
      'no-restricted-imports@4',
      'no-restricted-imports@5',
      'no-restricted-imports@6',
    ]);
  });

  it('lets a nested common/ file climb within common/ but not out of it', async () => {
    const errors = await wallErrors('common/i18n/wall-probe.ts', "import { Settings } from '../contract';\nimport { createApi } from '../../main/api';\nexport { Settings, createApi };");
    expect(errors).toEqual(['no-restricted-imports@2']);
  });
});
