// Loads the reference data (document types, fields, golongan, kedudukan hukum): the
// profile's own override if it has one, else the copy shipped in resources/.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ReferenceData, referenceDataProblems } from '../../common/doctypes';
import { AppError } from '../../common/errors';
import type { Translate } from '../core/ports';

export const REFERENCE_FILE = 'reference-data.json';

export function loadReferenceData(resourcesDir: string, dataDir: string, translate: Translate): ReferenceData {
  const override = join(dataDir, REFERENCE_FILE);
  const path = existsSync(override) ? override : join(resourcesDir, REFERENCE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('invalid_input', translate('reference.invalid', { path, detail: (error as Error).message }));
  }
  const parsed = ReferenceData.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('invalid_input', translate('reference.invalid', { path, detail }));
  }
  const problems = referenceDataProblems(parsed.data);
  if (problems.length > 0) throw new AppError('invalid_input', translate('reference.invalid', { path, detail: problems.join('; ') }));
  return parsed.data;
}

/** Finds the shipped resources/ folder by walking up from a module's folder (source or built). */
export function findResourcesDir(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'resources', REFERENCE_FILE))) return join(dir, 'resources');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`resources/${REFERENCE_FILE} not found above ${from}`);
    dir = parent;
  }
}
