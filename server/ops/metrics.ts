// Prometheus metrics of one server instance: HTTP request counts, durations and requests in
// flight by route name, plus the process's own metrics, served as text at /metrics.
// Each server builds its own registry (several servers in one test process must not share
// counters); the process metrics are collected once per process, because there is one
// process however many servers run in it. Features add their own counters and gauges
// through `deps.metrics` (names start with `lemari_`).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type GaugeConfiguration } from 'prom-client';

/** Seconds; uploads of large scans take minutes, so the top buckets reach five minutes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

const NAME = /^lemari_[a-z0-9_]+$/;

export interface Metrics {
  /** A counter in this server's registry; asking again by name returns the same one. */
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  /** A gauge; `collect` runs at each scrape (to read a pool size or a queue length). */
  gauge<L extends string = never>(name: string, help: string, labelNames?: readonly L[], collect?: (gauge: Gauge<L>) => void | Promise<void>): Gauge<L>;
  histogram<L extends string = never>(name: string, help: string, labelNames?: readonly L[], buckets?: number[]): Histogram<L>;
  /** Marks the start of an HTTP request; the returned function ends it. */
  startRequest(): (labels: { route: string; method: string; status: number }) => void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; text: string }>;
}

let processRegistry: Registry | undefined;

/** The process's metrics (CPU, memory, event loop lag, GC, handles), collected once per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const existing = <T>(name: string): T | undefined => {
    if (!NAME.test(name)) throw new Error(`Metric names start with lemari_ and use [a-z0-9_]: "${name}"`);
    return registry.getSingleMetric(name) as T | undefined;
  };
  const metrics: Metrics = {
    counter: (name, help, labelNames = []) => existing(name) ?? new Counter({ name, help, labelNames, registers: [registry] }),
    gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], collect?: (gauge: Gauge<L>) => void | Promise<void>): Gauge<L> {
      const found = existing<Gauge<L>>(name);
      if (found) return found;
      const config: GaugeConfiguration<L> = { name, help, labelNames, registers: [registry] };
      if (collect) {
        config.collect = function (this: Gauge<L>) {
          return collect(this);
        };
      }
      return new Gauge(config);
    },
    histogram: (name, help, labelNames = [], buckets = DURATION_BUCKETS) => existing(name) ?? new Histogram({ name, help, labelNames, buckets, registers: [registry] }),
    startRequest() {
      inFlight.inc();
      const stop = duration.startTimer();
      let ended = false;
      return ({ route, method, status }) => {
        if (ended) return;
        ended = true;
        inFlight.dec();
        const labels = { route, method, status: String(status) };
        requests.inc(labels);
        stop(labels);
      };
    },
    async scrape() {
      const own = await registry.metrics();
      const proc = await processMetrics().metrics();
      return { contentType: registry.contentType, text: `${proc}\n${own}` };
    },
  };
  const requests = metrics.counter('lemari_http_requests_total', 'HTTP requests answered, by route name, method and status.', ['route', 'method', 'status']);
  const duration = metrics.histogram('lemari_http_request_duration_seconds', 'Time from the request to the end of its answer, by route name, method and status.', ['route', 'method', 'status']);
  const inFlight = metrics.gauge('lemari_http_requests_in_flight', 'HTTP requests received and not yet answered (uploads streaming in count).');
  return metrics;
}
