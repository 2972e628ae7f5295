import { createHash, timingSafeEqual } from 'node:crypto';

/** The SHA-256 digest a secret is kept and compared as: comparing digests hides the secret's length too. */
export function secretDigest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Whether `presented` is the secret of `expected` (its {@link secretDigest}), compared in constant time. */
export function matchesSecretDigest(presented: string, expected: Buffer): boolean {
  return timingSafeEqual(secretDigest(presented), expected);
}
