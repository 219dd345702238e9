// The reference data the server ships with: the same resources/reference-data.json the
// workstation loads (document types, field definitions, golongan, kedudukan hukum), found
// by walking up from this module, which works from the sources and from the built
// out/main/server.js alike. Read once per process; a bad file stops the server at start.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ReferenceData, referenceDataProblems } from '../../common/doctypes';

const REFERENCE_FILE = 'reference-data.json';

export function loadShippedReference(resourcesDir: string): ReferenceData {
  const path = join(resourcesDir, REFERENCE_FILE);
  const data = ReferenceData.parse(JSON.parse(readFileSync(path, 'utf8')));
  const problems = referenceDataProblems(data);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join('; ')}`);
  return data;
}

function shippedResourcesDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'resources', REFERENCE_FILE))) return join(dir, 'resources');
    if (dirname(dir) === dir) throw new Error(`resources/${REFERENCE_FILE} not found above ${from}`);
  }
}

let shipped: ReferenceData | undefined;

export function shippedReference(): ReferenceData {
  shipped ??= loadShippedReference(shippedResourcesDir(import.meta.dirname));
  return shipped;
}
