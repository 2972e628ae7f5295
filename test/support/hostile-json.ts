/** JSON text of `depth` arrays nested in one another (`[[[]]]` for 3): two bytes a level. */
export function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** JSON text of `depth` objects nested in one another under key `a`, ending in `1`. */
export function nestedObjects(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * The longest body `wrap([item,item,…])` of at most `limit` bytes (ASCII `item`), and the number of items:
 * the largest array a body limit lets through.
 */
export function largestArrayBody(wrap: (array: string) => string, limit: number, item = '0'): { body: string; items: number } {
  const overhead = Buffer.byteLength(wrap('[]'));
  const items = Math.floor((limit - overhead + 1) / (item.length + 1));
  const body = wrap(`[${Array.from({ length: items }, () => item).join(',')}]`);
  if (Buffer.byteLength(body) > limit) throw new Error(`body of ${Buffer.byteLength(body)} bytes is over ${limit}`);
  return { body, items };
}
