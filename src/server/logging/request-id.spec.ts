import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it.each(['abc-123', '3f2c1a9e-0d4b-4c1e-9f0a-6b7c8d9e0f1a', '01HZX3J8Q7Y5K2M4N6P8R0S2T4', 'Root=1-5759e988-bd862e3fe1be46a994272793'])(
    'honours the caller id %s',
    (id) => {
      expect(resolveRequestId({ headers: { [REQUEST_ID_HEADER]: id } })).toBe(id);
    },
  );

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['with spaces', 'a b'],
    ['with a new line (log forging)', 'abc\n{"level":50}'],
    ['too long', 'x'.repeat(201)],
    ['repeated header', ['a', 'b']],
  ])('generates a UUID when the caller id is %s', (_, id) => {
    expect(resolveRequestId({ headers: { [REQUEST_ID_HEADER]: id } })).toMatch(UUID);
  });
});
