// The gateway for its image: gateway/src/main.ts and its two runtime packages (undici, js-yaml)
// bundled by esbuild into one ES module, so the image needs neither node_modules nor npm.

import { build } from 'esbuild';
import { ImageBuildError } from './errors.js';
import { GATEWAY_MAIN } from '../../constants.js';


// Bundled CommonJS packages call require() for Node's built-ins; an ES module has no require.
const REQUIRE_SHIM = "import { createRequire as __labkitCreateRequire } from 'node:module';\nconst require = __labkitCreateRequire(import.meta.url);";

/** Writes the bundle to `outFile`. Takes well under a second. */
export async function bundleGateway(outFile: string): Promise<void> {
  try {
    await build({
      entryPoints: [GATEWAY_MAIN],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      banner: { js: REQUIRE_SHIM },
      legalComments: 'none',
      logLevel: 'silent',
    });
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const details = errors
      .slice(0, 5)
      .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
      .join('\n');
    throw new ImageBuildError(
      `bundling gateway/src/main.ts with esbuild failed; \`npx tsc --noEmit\` shows the same problems in context.`,
      details || (err as Error).message,
    );
  }
}
