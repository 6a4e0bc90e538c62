/**
 * `npm run schema`: writes the published JSON Schema (`schema/cluster-config.schema.json`) from the zod
 * schema in `config/schema.ts`. Run it after changing the schema; `config/json-schema.test.ts` fails until
 * the committed file matches. The file is written atomically (`io/write.ts`).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceFile } from '../io/write.ts';
import { clusterConfigJsonSchemaText, JSON_SCHEMA_FILE } from './schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, JSON_SCHEMA_FILE);
const text = clusterConfigJsonSchemaText();
let current: string | undefined;
try {
  current = readFileSync(target, 'utf8');
} catch {
  current = undefined;
}
if (current === text) {
  console.log(`${JSON_SCHEMA_FILE} is up to date`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  replaceFile(target, text);
  console.log(`wrote ${JSON_SCHEMA_FILE}`);
}
