import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { LOG_BLOCK_BYTES, writeThrough } from './log-destination';

describe('writeThrough', () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes out the buffered block, then every later line at once', () => {
    const file = join(dir, 'out.log');
    const destination = pino.destination({ dest: file, sync: true, minLength: LOG_BLOCK_BYTES });
    destination.write('buffered\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    writeThrough(destination);
    expect(readFileSync(file, 'utf8')).toBe('buffered\n');
    destination.write('at once\n');
    expect(readFileSync(file, 'utf8')).toBe('buffered\nat once\n');
  });

  it('leaves a destination that does not buffer alone', () => {
    const lines: string[] = [];
    const plain = { write: (line: string) => lines.push(line) };
    expect(() => writeThrough(plain)).not.toThrow();
    expect(() => writeThrough(undefined)).not.toThrow();
  });
});
