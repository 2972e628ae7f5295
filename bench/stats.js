'use strict';
/** Small statistics of the report: nulls and undefined are left out. */

function present(values) {
  return values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
}

function median(values) {
  const sorted = present(values).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mean(values) {
  const list = present(values);
  return list.length ? list.reduce((a, b) => a + b, 0) / list.length : null;
}

function range(values) {
  const list = present(values);
  return list.length ? { min: Math.min(...list), max: Math.max(...list) } : null;
}

const round1 = (n) => (n === null || n === undefined ? null : Math.round(n * 10) / 10);
const round2 = (n) => (n === null || n === undefined ? null : Math.round(n * 100) / 100);

module.exports = { median, mean, range, round1, round2 };
