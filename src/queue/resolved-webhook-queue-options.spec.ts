import { redactUrl, ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';

describe('ResolvedWebhookQueueOptions', () => {
  it('applies the documented defaults', () => {
    expect(new ResolvedWebhookQueueOptions({ url: 'redis://127.0.0.1:6379' })).toMatchObject({
      enabled: true,
      queueName: 'livekit-webhooks',
      prefix: 'bull',
      attempts: 8,
      backoffDelayMs: 1000,
      workers: true,
      concurrency: 10,
      lockDurationMs: 5000,
      stalledIntervalMs: 1000,
      maxStalledCount: 1,
      enqueueTimeoutMs: 2000,
      enqueueBatchSize: 100,
      keepCompletedSeconds: 86_400,
      keepCompletedCount: 100_000,
      shutdownTimeoutMs: 10_000,
    });
  });

  it("bounds the takeover of a dead instance's events to a few seconds by default (lock + stalled check)", () => {
    const { lockDurationMs, stalledIntervalMs } = new ResolvedWebhookQueueOptions({ url: 'redis://h' });
    expect(lockDurationMs + stalledIntervalMs).toBe(6000);
    expect(new ResolvedWebhookQueueOptions({ url: 'redis://h', lockDurationMs: 20_000 }).stalledIntervalMs).toBe(1000);
    expect(new ResolvedWebhookQueueOptions({ url: 'redis://h', lockDurationMs: 5000, stalledIntervalMs: 700 }).stalledIntervalMs).toBe(700);
  });

  it('puts the prefix in braces by default on Cluster, and keeps a braced one', () => {
    const cluster = { cluster: { nodes: [{ host: 'h', port: 7000 }] } };
    expect(new ResolvedWebhookQueueOptions(cluster).prefix).toBe('{bull}');
    expect(new ResolvedWebhookQueueOptions({ ...cluster, prefix: '{lk-webhooks}' }).prefix).toBe('{lk-webhooks}');
    expect(new ResolvedWebhookQueueOptions({ url: 'redis://h' }).replication).toBeUndefined();
    expect(new ResolvedWebhookQueueOptions({ url: 'redis://h', replication: { minReplicas: 1 } }).replication).toEqual({
      minReplicas: 1,
      timeoutMs: 1000,
    });
  });

  it('needs no url when disabled', () => {
    expect(new ResolvedWebhookQueueOptions({ enabled: false }).enabled).toBe(false);
  });

  it.each([
    [{}, /needs a Redis url/],
    [{ url: 'http://h' }, /not a Redis URL/],
    [{ url: 'redis://h', attempts: 0 }, /attempts must be a positive integer/],
    [{ url: 'redis://h', lockDurationMs: 1.5 }, /lockDurationMs/],
    [{ url: 'redis://h', maxStalledCount: 0 }, /maxStalledCount must be a positive integer/],
    [{ url: 'redis://h', enqueueBatchSize: 0 }, /enqueueBatchSize must be a positive integer/],
    [{ url: 'redis://h', queueName: 'a:b' }, /queueName/],
    [{ url: 'redis://h', prefix: ' ' }, /prefix is empty/],
    [{ url: 'redis://h', redisOptions: { keyPrefix: 'x' } }, /keyPrefix/],
    [{ cluster: { nodes: [{ host: 'h', port: 7000 }] }, prefix: 'lk-webhooks' }, /has no hash tag.*prefix: '\{lk-webhooks\}'/],
    [{ url: 'redis://h', replication: { minReplicas: 0 } }, /replication.minReplicas must be a positive integer/],
  ])('refuses %j with a fix', (options, message) => {
    expect(() => new ResolvedWebhookQueueOptions(options)).toThrow(message);
    expect(() => new ResolvedWebhookQueueOptions(options)).toThrow(/Fix:/);
  });

  it('never shows a password', () => {
    expect(redactUrl('redis://user:hunter2@h:6379/0')).toBe('redis://user:***@h:6379/0');
    expect(redactUrl('rediss://:hunter2@h')).toBe('rediss://:***@h');
    expect(redactUrl('redis://h:6379')).toBe('redis://h:6379');
    expect(() => new ResolvedWebhookQueueOptions({ url: 'http://:hunter2@h' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
