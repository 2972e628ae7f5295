/** Thrown at boot when the LiveKit options cannot work; the message says how to fix them. */
export class LiveKitOptionsError extends Error {
  constructor(problem: string, fix: string) {
    super(`${problem}. Fix: ${fix}`);
    this.name = 'LiveKitOptionsError';
  }
}
