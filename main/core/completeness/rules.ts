// Loads the completeness rules (resources/completeness.json): the profile's own copy if it
// has one, else the shipped one, checked against the reference data at load so a typo in
// a type code stops the app with the file and the problem named, not a silent zero score.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCompletenessRules, type CompletenessRules } from '../../../common/completeness';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import type { Translate } from '../ports';

export const COMPLETENESS_FILE = 'completeness.json';

export function loadCompletenessRules(resourcesDir: string, dataDir: string, reference: ReferenceData, translate: Translate): CompletenessRules {
  const override = join(dataDir, COMPLETENESS_FILE);
  const path = existsSync(override) ? override : join(resourcesDir, COMPLETENESS_FILE);
  try {
    return parseCompletenessRules(JSON.parse(readFileSync(path, 'utf8')), reference);
  } catch (error) {
    throw new AppError('invalid_input', translate('completeness.invalid', { path, detail: (error as Error).message }));
  }
}
