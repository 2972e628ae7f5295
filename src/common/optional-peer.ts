import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when an entry point is loaded without the optional peer dependency it needs. */
export class LiveKitMissingPeerError extends Error {
  constructor(
    readonly entryPoint: string,
    readonly packageName: string,
  ) {
    super(`${entryPoint} needs ${packageName}, which is not installed. Fix: npm install ${packageName}@"${peerRange(packageName)}"`);
    this.name = 'LiveKitMissingPeerError';
  }
}

/** The range our package.json declares for a peer (two levels up from both src/common and dist/common). */
function peerRange(packageName: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      peerDependencies?: Record<string, string>;
    };
    return pkg.peerDependencies?.[packageName] ?? 'latest';
  } catch {
    return 'latest';
  }
}

/**
 * Fails the load of an entry point with {@link LiveKitMissingPeerError} when one of the optional peers it
 * imports cannot be resolved from here, instead of Node's bare "Cannot find module".
 */
export function assertOptionalPeers(entryPoint: string, packageNames: readonly string[]): void {
  for (const packageName of packageNames) {
    try {
      require.resolve(packageName);
    } catch {
      throw new LiveKitMissingPeerError(entryPoint, packageName);
    }
  }
}

/** `require(packageName)` for a feature used at run time, failing with {@link LiveKitMissingPeerError} when absent. */
export function requireOptionalPeer<T>(packageName: string, feature: string): T {
  try {
    require.resolve(packageName);
  } catch {
    throw new LiveKitMissingPeerError(feature, packageName);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(packageName) as T;
}
