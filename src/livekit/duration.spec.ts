import { parseDurationSeconds } from './duration';

describe('parseDurationSeconds', () => {
  it.each([
    [3600, 3600],
    ['3600', 3600],
    ['90s', 90],
    ['10m', 600],
    ['6h', 21600],
    ['1d', 86400],
  ])('%j → %d', (input, seconds) => expect(parseDurationSeconds(input)).toBe(seconds));

  it.each([0, -5, 1.5, '', 'soon', '5w', '0m'])('rejects %j', (input) => expect(parseDurationSeconds(input)).toBeUndefined());
});
