import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('resolves with the work when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(3), 50, () => new Error('late'))).resolves.toBe(3);
  });

  it('rejects with the timeout error when the work is late, and ignores its late rejection', async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 30));
    await expect(withTimeout(late, 5, () => new Error('timed out'))).rejects.toThrow('timed out');
    await new Promise((resolve) => setTimeout(resolve, 40)); // no unhandled rejection
  });
});
