import { loadWebhookQueueOptions } from './webhook-queue.config';

describe('loadWebhookQueueOptions', () => {
  it('stays inline by default, even with REDIS_URL set', () => {
    expect(loadWebhookQueueOptions({})).toEqual({ enabled: false });
    expect(loadWebhookQueueOptions({ REDIS_URL: 'redis://h' })).toEqual({ enabled: false });
  });

  it('turns queue mode on with WEBHOOK_MODE=queue and REDIS_URL, leaving unset settings to the defaults', () => {
    expect(loadWebhookQueueOptions({ WEBHOOK_MODE: 'Queue', REDIS_URL: 'redis://h:6379' })).toEqual({
      enabled: true,
      url: 'redis://h:6379',
      workers: true,
    });
  });

  it('reads every queue setting', () => {
    expect(
      loadWebhookQueueOptions({
        WEBHOOK_MODE: 'queue',
        REDIS_URL: 'rediss://:pw@h',
        WEBHOOK_QUEUE_NAME: 'lk',
        WEBHOOK_QUEUE_PREFIX: 'app:bull',
        WEBHOOK_QUEUE_WORKERS: 'false',
        WEBHOOK_QUEUE_ATTEMPTS: '3',
        WEBHOOK_QUEUE_BACKOFF_MS: '500',
        WEBHOOK_QUEUE_CONCURRENCY: '4',
        WEBHOOK_QUEUE_LOCK_DURATION_MS: '15000',
        WEBHOOK_QUEUE_STALLED_INTERVAL_MS: '5000',
        WEBHOOK_QUEUE_MAX_STALLED_COUNT: '2',
        WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS: '1500',
        WEBHOOK_QUEUE_ENQUEUE_BATCH_SIZE: '20',
        WEBHOOK_QUEUE_KEEP_COMPLETED_SECONDS: '172800',
        WEBHOOK_QUEUE_KEEP_COMPLETED_COUNT: '50000',
        WEBHOOK_QUEUE_SHUTDOWN_TIMEOUT_MS: '20000',
      }),
    ).toEqual({
      enabled: true,
      url: 'rediss://:pw@h',
      queueName: 'lk',
      prefix: 'app:bull',
      workers: false,
      attempts: 3,
      backoffDelayMs: 500,
      concurrency: 4,
      lockDurationMs: 15000,
      stalledIntervalMs: 5000,
      maxStalledCount: 2,
      enqueueTimeoutMs: 1500,
      enqueueBatchSize: 20,
      keepCompletedSeconds: 172800,
      keepCompletedCount: 50000,
      shutdownTimeoutMs: 20000,
    });
  });

  it.each([
    [{ WEBHOOK_MODE: 'queue' }, /^REDIS_URL is required when WEBHOOK_MODE=queue/],
    [{ WEBHOOK_MODE: 'queue', REDIS_URL: 'localhost:6379' }, /^REDIS_URL is not a redis:\/\/ or rediss:\/\/ URL/],
    [{ WEBHOOK_MODE: 'kafka' }, /^WEBHOOK_MODE must be one of inline, queue/],
    [{ WEBHOOK_MODE: 'queue', REDIS_URL: 'redis://h', WEBHOOK_QUEUE_ATTEMPTS: '0' }, /^WEBHOOK_QUEUE_ATTEMPTS must be a positive integer/],
    [{ WEBHOOK_MODE: 'queue', REDIS_URL: 'redis://h', WEBHOOK_QUEUE_WORKERS: 'no' }, /^WEBHOOK_QUEUE_WORKERS must be one of true, false/],
  ])('stops the boot for %j, naming the variable', (env, message) => {
    expect(() => loadWebhookQueueOptions(env)).toThrow(message);
  });
});
