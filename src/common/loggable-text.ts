/** Characters kept as they are: those of ids, hosts, content types and short messages. */
const UNSAFE = /[^\w .,:;@=/+()<>[\]-]/g;

/**
 * A caller-supplied value made safe to put in a log line: at most `max` characters (cut with `…`), and
 * every character outside letters, digits and `_ .,:;@=/+()<>[]-` (quotes, backslashes, control characters,
 * newlines, non-ASCII) replaced by `?`, so that it can neither forge a line nor break out of its quotes.
 */
export function loggableText(value: string, max: number): string {
  const kept = value.slice(0, max).replace(UNSAFE, '?');
  return value.length > max ? `${kept}…` : kept;
}
