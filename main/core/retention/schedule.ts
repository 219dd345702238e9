// Loads the retention schedule (resources/retention.json, the JRA): a profile may ship its
// own copy in the data directory. A malformed file stops the app with the file and the
// problem named; an admin's per-type changes live in the database (retention_jra), so the
// shipped file always stays the default they can return to.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { parseJraSchedule, type JraSchedule } from '../../../common/retention';
import type { Translate } from '../ports';

export const RETENTION_FILE = 'retention.json';

export function loadJraSchedule(resourcesDir: string, dataDir: string, reference: ReferenceData, translate: Translate): JraSchedule {
  const own = join(dataDir, RETENTION_FILE);
  const path = existsSync(own) ? own : join(resourcesDir, RETENTION_FILE);
  try {
    return parseJraSchedule(JSON.parse(readFileSync(path, 'utf8')), reference);
  } catch (error) {
    throw new AppError('invalid_input', translate('retention.invalid', { path, detail: (error as Error).message.slice(0, 500) }));
  }
}
