import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

type Configuration<T extends string> = { name: string; help: string; labelNames?: readonly T[] };

/**
 * The metric of that name already in `registry`, or a new one: a registry shared by several apps
 * (prom-client's global one, tests) must not throw "already registered".
 */
function reuseOr<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export function counter<T extends string>(registry: Registry, config: Configuration<T>): Counter<T> {
  return reuseOr(registry, config.name, () => new Counter<T>({ ...config, registers: [registry] }));
}

export function histogram<T extends string>(registry: Registry, config: Configuration<T> & { buckets: number[] }): Histogram<T> {
  return reuseOr(registry, config.name, () => new Histogram<T>({ ...config, registers: [registry] }));
}

export function gauge(registry: Registry, config: Configuration<never> & { collect: (this: Gauge) => Promise<void> }): Gauge {
  return reuseOr(registry, config.name, () => new Gauge({ ...config, registers: [registry] }));
}
