import { LiveKitWebhookDeadLetterNotFoundError, type LiveKitWebhookDeadLetters } from '../queue';

export const DEAD_LETTERS_USAGE = [
  'usage: dead-letters <command>',
  '  list [limit]        the oldest dead letters (default 20), one JSON line each, without bodies',
  '  count               how many dead letters there are',
  '  show <eventId>      one dead letter, with its body, as JSON',
  '  replay <eventId>    run it again (a full new set of attempts; handlers that succeeded are skipped)',
  '  replay-all          run every dead letter again',
  '  discard <eventId>   delete it for good (a later redelivery of the same event would run)',
].join('\n');

/**
 * The operator's dead-letter commands, over {@link LiveKitWebhookDeadLetters}. Writes JSON lines to
 * `out`, errors to `err`; resolves with the process exit code (0 ok, 1 not found, 2 usage).
 */
export async function runDeadLettersCommand(
  argv: readonly string[],
  deadLetters: LiveKitWebhookDeadLetters,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [command, arg] = argv;
  try {
    switch (command) {
      case 'list': {
        const limit = arg === undefined ? 20 : Number(arg);
        if (!Number.isInteger(limit) || limit <= 0) break;
        for (const letter of await deadLetters.list({ limit })) out(JSON.stringify({ ...letter, body: undefined }));
        return 0;
      }
      case 'count':
        out(String(await deadLetters.count()));
        return 0;
      case 'show': {
        if (!arg) break;
        const letter = await deadLetters.get(arg);
        if (!letter) {
          err(`event ${arg} is not a dead letter`);
          return 1;
        }
        out(JSON.stringify(letter, null, 2));
        return 0;
      }
      case 'replay':
        if (!arg) break;
        await deadLetters.replay(arg);
        out(`replayed ${arg}`);
        return 0;
      case 'replay-all':
        out(`replayed ${await deadLetters.replayAll()}`);
        return 0;
      case 'discard':
        if (!arg) break;
        await deadLetters.discard(arg);
        out(`discarded ${arg}`);
        return 0;
    }
  } catch (error) {
    if (error instanceof LiveKitWebhookDeadLetterNotFoundError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
  err(DEAD_LETTERS_USAGE);
  return 2;
}
