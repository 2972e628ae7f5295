/** Thrown at boot for a bad environment variable; the message names it and says how to fix it. */
export class ConfigValidationError extends Error {
  constructor(variable: string, problem: string, fix: string) {
    super(`${variable} ${problem}. Fix: ${fix}`);
    this.name = 'ConfigValidationError';
  }
}
