'use strict';
/** Plain-text tables of the report. */

/**
 * Columns padded to their widest cell: the first `left` columns and the last one aligned left (text),
 * the others right (figures).
 */
function table(headers, lines, { left = 2 } = {}) {
  const widths = headers.map((h, i) => Math.max(h.length, ...lines.map((line) => String(line[i]).length)));
  const fmt = (cells) =>
    cells.map((c, i) => (i < left || i === cells.length - 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])));
  return [
    fmt(headers).join('  ').trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...lines.map((l) => fmt(l).join('  ').trimEnd()),
  ].join('\n');
}

const show = (value, digits) =>
  value === null || value === undefined ? '-' : digits === undefined ? String(value) : value.toFixed(digits);

module.exports = { table, show };
