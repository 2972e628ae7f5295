import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file of the console page, held in memory from boot. */
export interface ConsoleAsset {
  body: string;
  contentType: string;
}

/** Every file the console serves: a fixed list, so no request names a path on disk. */
export const CONSOLE_ASSET_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

/** Shipped beside the compiled code (`dist/console/assets`, copied by the build) and beside the sources. */
export const CONSOLE_ASSETS_DIR = join(__dirname, 'assets');

/**
 * The page's security headers: only our own scripts, styles and connections; no framing; no referrer (the
 * console's URLs carry nothing secret, and this keeps it so).
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Reads every asset once; a missing file stops the boot, naming it. */
export function loadConsoleAssets(dir = CONSOLE_ASSETS_DIR): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const [name, contentType] of Object.entries(CONSOLE_ASSET_FILES)) {
    let body: string;
    try {
      body = readFileSync(join(dir, name), 'utf8');
    } catch (error) {
      throw new Error(
        `LiveKitConsoleModule: console asset ${join(dir, name)} is missing (${(error as Error).message}). ` +
          'Fix: reinstall the package; when building from source, `npm run build` copies src/console/assets',
      );
    }
    assets.set(name, { body, contentType });
  }
  return assets;
}
