// `npm run openapi`: writes docs/openapi.json from the route table (server/http/openapi.ts).
// tests/integration/server/openapi.test.ts fails while the file and the code differ.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiJson } from '../http/openapi';

const target = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
writeFileSync(target, openApiJson());
process.stdout.write(`wrote ${target}\n`);
