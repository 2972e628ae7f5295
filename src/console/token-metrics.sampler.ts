import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { LIVEKIT_METRICS_REGISTRY, METRIC_NAMES } from '../metrics/livekit-metrics.constants';
import { METRICS_WINDOW_MS } from './console.internal-constants';
import { ResolvedConsoleOptions } from './resolved-console-options';

/** The token counters at one moment: totals since start, by endpoint and by refusal reason. */
export interface TokenMetricsSample {
  at: number;
  issued: Record<string, number>;
  refused: Record<string, number>;
}

/** What the Tokens page shows: per interval, tokens issued and refused by reason, over the last minutes. */
export interface ConsoleTokenView {
  enabled: boolean;
  windowSeconds: number;
  intervalSeconds: number;
  /** One entry per sample interval, oldest first: counts in that interval. */
  intervals: { from: string; to: string; issued: Record<string, number>; refused: Record<string, number> }[];
  /** Over the whole window. */
  totals: { issued: Record<string, number>; refused: Record<string, number>; issuedPerMinute: number };
}

type LabelledValues = { values: { value: number; labels: Record<string, string | number> }[] };

function byLabel(metric: LabelledValues | undefined, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { value, labels } of metric?.values ?? []) out[String(labels[label] ?? '')] = value;
  return out;
}

function delta(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(now)) out[key] = Math.max(0, value - (before[key] ?? 0));
  return out;
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/**
 * Samples the token counters of the metrics registry (`LiveKitMetricsModule`) every `metricsSampleIntervalMs`
 * and keeps 15 minutes of samples, from which the Tokens page shows rates. Without the metrics module it
 * does nothing and the page says so.
 */
@Injectable()
export class TokenMetricsSampler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveKitConsole');
  private registry: Registry | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly samples: TokenMetricsSample[] = [];

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(ResolvedConsoleOptions) private readonly options: ResolvedConsoleOptions,
  ) {}

  onModuleInit(): void {
    try {
      this.registry = this.moduleRef.get<Registry>(LIVEKIT_METRICS_REGISTRY, { strict: false });
    } catch {
      return;
    }
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.options.metricsSampleIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async view(): Promise<ConsoleTokenView> {
    const intervalSeconds = this.options.metricsSampleIntervalMs / 1000;
    const empty = { issued: {}, refused: {}, issuedPerMinute: 0 };
    if (!this.registry) return { enabled: false, windowSeconds: METRICS_WINDOW_MS / 1000, intervalSeconds, intervals: [], totals: empty };
    const now = await this.read();
    const points = [...this.samples, now];
    const intervals = points.slice(1).map((sample, i) => {
      const before = points[i]!;
      return {
        from: new Date(before.at).toISOString(),
        to: new Date(sample.at).toISOString(),
        issued: delta(sample.issued, before.issued),
        refused: delta(sample.refused, before.refused),
      };
    });
    const first = points[0]!;
    const minutes = Math.max((now.at - first.at) / 60_000, 1 / 60);
    const issued = delta(now.issued, first.issued);
    return {
      enabled: true,
      windowSeconds: METRICS_WINDOW_MS / 1000,
      intervalSeconds,
      intervals,
      totals: { issued, refused: delta(now.refused, first.refused), issuedPerMinute: Math.round((sum(issued) / minutes) * 10) / 10 },
    };
  }

  private async sample(): Promise<void> {
    try {
      this.samples.push(await this.read());
    } catch (error) {
      this.logger.warn(`could not sample the token metrics: ${(error as Error).message}`);
      return;
    }
    const cutoff = Date.now() - METRICS_WINDOW_MS;
    while (this.samples.length > 1 && this.samples[0]!.at < cutoff) this.samples.shift();
  }

  private async read(): Promise<TokenMetricsSample> {
    const registry = this.registry!;
    const [issued, refused] = await Promise.all([
      registry.getSingleMetric(METRIC_NAMES.tokensIssued)?.get() as Promise<LabelledValues> | undefined,
      registry.getSingleMetric(METRIC_NAMES.tokensRefused)?.get() as Promise<LabelledValues> | undefined,
    ]);
    return { at: Date.now(), issued: byLabel(issued, 'endpoint'), refused: byLabel(refused, 'reason') };
  }
}
