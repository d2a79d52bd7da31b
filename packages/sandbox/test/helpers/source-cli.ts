import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/**
 * Node arguments that run the `alipay-legacy-sandbox` command from its TypeScript sources (tsx and
 * the workspace source condition), so process tests and benches run the code as it is in the
 * checkout, from any working directory. The published bin runs the compiled `dist/`; CI installs
 * the packed tarball and runs that.
 * @example spawn(process.execPath, [...SOURCE_CLI, 'sandbox', '--port', '0'])
 */
export const SOURCE_CLI: readonly string[] = ['--conditions=alipay-legacy-source', '--import', tsx, main];

/** Node arguments that run any TypeScript file of the checkout from its sources, as SOURCE_CLI runs the command: `[...SOURCE_CONDITIONS, file]`. */
export const SOURCE_CONDITIONS: readonly string[] = SOURCE_CLI.slice(0, -1);

/**
 * The environment a process started with SOURCE_CLI needs besides its own: tsx reads the JSX
 * settings (Hono's JSX) from the tsconfig of the working directory, and a process started in a
 * temporary folder has none, so every page would fail to render. Spread it into `spawn`'s env.
 */
export const SOURCE_ENV: Readonly<Record<string, string>> = { TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../../../tsconfig.json', import.meta.url)) };
