import { Inject, Injectable, Logger } from '@nestjs/common';
import { matchesSecretDigest, secretDigest } from '../common/secret-digest';
import { LiveKitConsoleSignInThrottledException, LiveKitConsoleWrongTokenException } from './livekit-console.errors';
import { MAX_FAILED_SIGN_INS_PER_MINUTE } from './console.internal-constants';
import { ResolvedConsoleOptions } from './resolved-console-options';

const MINUTE_MS = 60_000;
const MAX_TOKEN_LENGTH = 1024;

/**
 * Checks the sign-in form's admin token (constant time, over SHA-256 digests). A flood of wrong tokens is
 * cut off: past {@link MAX_FAILED_SIGN_INS_PER_MINUTE} failures in a minute, sign-in answers 429 until the
 * minute is over, and one warning line says so.
 */
@Injectable()
export class ConsoleSignIn {
  private readonly logger = new Logger('LiveKitConsole');
  private readonly expected: Buffer | undefined;
  private windowStart = Number.NEGATIVE_INFINITY;
  private failures = 0;
  now: () => number = Date.now;

  constructor(@Inject(ResolvedConsoleOptions) options: ResolvedConsoleOptions) {
    this.expected = options.adminToken === undefined ? undefined : secretDigest(options.adminToken);
  }

  /** Whether the form signs in with the admin token (`'token'`) or the host's guard decides (`'guard'`). */
  get mode(): 'token' | 'guard' {
    return this.expected === undefined ? 'guard' : 'token';
  }

  /** @throws LiveKitConsoleWrongTokenException (401), LiveKitConsoleSignInThrottledException (429) */
  check(presented: unknown): void {
    if (this.expected === undefined) return; // the host's guard let the request through
    const now = this.now();
    if (now - this.windowStart >= MINUTE_MS) {
      this.windowStart = now;
      this.failures = 0;
    }
    if (this.failures >= MAX_FAILED_SIGN_INS_PER_MINUTE) throw new LiveKitConsoleSignInThrottledException();
    const ok = typeof presented === 'string' && presented.length <= MAX_TOKEN_LENGTH && matchesSecretDigest(presented, this.expected);
    if (ok) return;
    this.failures += 1;
    if (this.failures === MAX_FAILED_SIGN_INS_PER_MINUTE) {
      this.logger.warn(
        `${MAX_FAILED_SIGN_INS_PER_MINUTE} failed console sign-ins in a minute: sign-in refused (429) until the minute is over`,
      );
    }
    throw new LiveKitConsoleWrongTokenException();
  }
}
