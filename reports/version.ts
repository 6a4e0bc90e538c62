/** The tool's version, as package.json declares it (`--version`, and the `summary` of `check --json`). */
import { readFileSync } from 'node:fs';

export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
