/**
 * The headless Chromium the browser test drives (`reports/browser.test.ts`), found as it can be, in this
 * order:
 *
 * 1. `PGP_CLUSTER_CHECK_CHROMIUM`: a Chromium binary to use, and only that one (a path that is missing
 *    means "no browser": the way to see the test skip);
 * 2. the `@sparticuz/chromium` devDependency: `npm ci` installs it from the registry with the binary inside
 *    (brotli-compressed, nothing downloaded at install or at run time), the same version on every machine;
 *    it is inflated once into `node_modules/.cache/pgp-cluster-check/`;
 * 3. Debian's packages: `/usr/bin/chromium` (`apt-get install chromium`) or `chromium-headless-shell`.
 *
 * The first that launches is used. Without any, the browser test is skipped with one line saying why and
 * how to enable it, unless `PGP_CLUSTER_CHECK_REQUIRE_BROWSER=1` (set by `.ci/run`) makes it required.
 */
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { temporaryPath } from '../io/write.ts';

export const CHROMIUM_VARIABLE = 'PGP_CLUSTER_CHECK_CHROMIUM';
export const REQUIRE_BROWSER_VARIABLE = 'PGP_CLUSTER_CHECK_REQUIRE_BROWSER';
/** The devDependency that ships a headless Chromium inside the package. */
export const CHROMIUM_PACKAGE = '@sparticuz/chromium';
/** Debian's Chromium packages. */
export const DEBIAN_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium-headless-shell'];

/** How to get a browser, for the line that says the test was skipped. */
export const HOW_TO_ENABLE = `run npm ci (the devDependency ${CHROMIUM_PACKAGE} ships one), apt-get install chromium, or set ${CHROMIUM_VARIABLE} to a Chromium binary`;

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The binary of the `@sparticuz/chromium` package, inflated once per version (atomically: a temporary file, then a rename). */
async function packagedChromium(root: string): Promise<string | undefined> {
  const dir = join(root, 'node_modules', ...CHROMIUM_PACKAGE.split('/'));
  const compressed = join(dir, 'bin', 'chromium.br');
  if (!existsSync(compressed)) return undefined;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const binary = join(root, 'node_modules', '.cache', 'pgp-cluster-check', `chromium-${version}`, 'chromium');
  if (executable(binary)) return binary;
  mkdirSync(dirname(binary), { recursive: true });
  const temporary = temporaryPath(binary);
  try {
    await pipeline(createReadStream(compressed), createBrotliDecompress(), createWriteStream(temporary, { flags: 'wx', mode: 0o755 }));
    renameSync(temporary, binary);
  } finally {
    rmSync(temporary, { force: true });
  }
  return binary;
}

/** The candidates, in order, each with where it comes from. */
async function candidates(root: string, env: NodeJS.ProcessEnv): Promise<{ path: string; from: string }[]> {
  const chosen = env[CHROMIUM_VARIABLE];
  if (chosen !== undefined && chosen !== '') return executable(chosen) ? [{ path: chosen, from: CHROMIUM_VARIABLE }] : [];
  const packaged = await packagedChromium(root);
  return [...(packaged === undefined ? [] : [{ path: packaged, from: CHROMIUM_PACKAGE }]), ...DEBIAN_CHROMIUM.filter(executable).map((path) => ({ path, from: 'Debian' }))];
}

export type BrowserFound = { readonly browser: Browser; readonly path: string; readonly from: string } | { readonly browser: undefined; readonly why: string };

/** Launches the first candidate that starts; or says why there is none. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env, root = fileURLToPath(new URL('..', import.meta.url))): Promise<BrowserFound> {
  const found = await candidates(root, env);
  if (found.length === 0) {
    const chosen = env[CHROMIUM_VARIABLE];
    return {
      browser: undefined,
      why: chosen ? `${CHROMIUM_VARIABLE}=${chosen} is not an executable file` : `no headless Chromium found (not ${CHROMIUM_PACKAGE} in node_modules, not ${DEBIAN_CHROMIUM.join(', ')})`,
    };
  }
  const failures: string[] = [];
  for (const { path, from } of found) {
    try {
      return { browser: await chromium.launch({ executablePath: path, args: LAUNCH_ARGS, timeout: 30_000 }), path, from };
    } catch (error) {
      failures.push(`${path} (${from}) did not start: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  }
  return { browser: undefined, why: failures.join('; ') };
}

/** Whether the browser test must run (`.ci/run` says so). */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[REQUIRE_BROWSER_VARIABLE] === '1';
}
