import { isIP } from 'node:net';
import { ConfigValidationError } from './config.errors';
import { type Env, readString } from './env-readers';

/** Which proxies to trust for the client address: none, the nearest N hops, or these addresses/ranges. */
export type TrustProxySetting = false | number | string[];

/** The ranges Express and Fastify (proxy-addr) know by name. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const FIX = 'name your proxies: a hop count such as 1, or their addresses/CIDRs such as 10.0.0.0/8';

/**
 * Reads `TRUST_PROXY`: unset, `false` or `0` trusts no proxy (the client is the socket's address); a hop
 * count; or comma-separated addresses, CIDRs and the names loopback, linklocal, uniquelocal. `true` is
 * refused: trusting every hop lets any client choose its address with `X-Forwarded-For`.
 */
export function readTrustProxy(env: Env): TrustProxySetting {
  const raw = readString(env, 'TRUST_PROXY');
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') {
    throw new ConfigValidationError('TRUST_PROXY', 'must not be true: trusting every hop lets any client choose its address', FIX);
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (!Number.isSafeInteger(hops)) throw new ConfigValidationError('TRUST_PROXY', `has a hop count out of range (${raw})`, FIX);
    return hops === 0 ? false : hops;
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!NAMED_RANGES.includes(entry) && !isAddressOrCidr(entry)) {
      throw new ConfigValidationError('TRUST_PROXY', `has ${JSON.stringify(entry)}, which is not an address, a CIDR or a hop count`, FIX);
    }
  }
  return entries.length > 0 ? entries : false;
}

/** `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`; a prefix of 0 (every address) is refused as `true` is. */
function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  const version = isIP(slash === -1 ? entry : entry.slice(0, slash));
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}
