/**
 * The load generator: a fixed number of clients, each running one operation after another
 * (closed loop), a warm-up that is not recorded, then a measured window.
 *
 * - `runLoad(options)`: any asynchronous operation (an HTTP request, a page of several requests,
 *   a replay of SQL statements); latency percentiles and throughput of the measured window.
 * - `HttpClient`: keep-alive HTTP/1.1 over `node:http`, one connection pool per client, like a browser tab.
 * - `startHelloServer()`: a bare `node:http` hello-world in a child process, the ceiling of this
 *   machine and this load generator.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";

export interface LoadOptions {
  /** Clients running at once; each starts its next operation when the previous one ends. */
  concurrency: number;
  /** Not recorded: JIT, caches, connection pools. Lasts until at least `concurrency` operations have ended too. */
  warmupMs: number;
  /** The measured window; it stays open until `minOps` operations have ended in it (slow operations). */
  durationMs: number;
  /** One operation of client `client` (0-based); `i` counts that client's operations. Throws on failure. */
  op: (client: number, i: number) => Promise<void>;
  /** Operations the window must hold (default twice the concurrency). */
  minOps?: number;
  /** The window closes after this long whatever it holds (default 3 minutes, or the duration if longer). */
  maxWindowMs?: number;
}

export interface LoadResult {
  /** Operations completed in the measured window. */
  count: number;
  /** Operations that threw in the measured window (not in the latency figures). */
  errors: number;
  firstError?: string;
  seconds: number;
  /** Completed operations per second of the window. */
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (milliseconds). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export function summarize(latencies: number[], seconds: number, errors: number, firstError?: string): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    errors,
    ...(firstError ? { firstError } : {}),
    seconds,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/**
 * Runs `concurrency` closed-loop clients. The warm-up lasts `warmupMs` and until every client could
 * have finished an operation; the window then counts the operations that end in it, and closes once
 * `durationMs` have passed and it holds `minOps` operations (or after `maxWindowMs`). Operations still
 * running then are awaited but not counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const began = performance.now();
  const minOps = options.minOps ?? 2 * options.concurrency;
  const maxWindowMs = Math.max(options.durationMs, options.maxWindowMs ?? 180_000);
  const warmupOps = options.concurrency;
  let ended = 0;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let stopped = false;

  const client = async (c: number) => {
    for (let i = 0; !stopped; i++) {
      const start = performance.now();
      let failed: unknown;
      try {
        await options.op(c, i);
      } catch (error) {
        failed = error;
      }
      const end = performance.now();
      ended++;
      if (stopped) break;
      if (end <= windowStart) {
        const warm = end - began >= options.warmupMs && ended >= warmupOps;
        if (warm || end - began >= maxWindowMs) windowStart = end;
        continue;
      }
      if (failed === undefined) latencies.push(end - start);
      else {
        errors++;
        firstError ??= failed instanceof Error ? failed.message : String(failed);
      }
      const open = end - windowStart;
      if ((open >= options.durationMs && latencies.length + errors >= minOps) || open >= maxWindowMs) {
        stopped = true;
        windowEnd = end;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, c) => client(c)));
  const seconds = (windowEnd - windowStart) / 1000;
  return summarize(latencies, seconds, errors, firstError);
}

export interface HttpRequestSpec {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path and query, e.g. `/api/v1/tickets?limit=50`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Keep-alive HTTP to one origin; `connections` sockets at most (a page's parallel requests). */
export class HttpClient {
  readonly #agent: http.Agent;
  readonly #host: string;
  readonly #port: number;

  constructor(origin: string, connections = 1) {
    const url = new URL(origin);
    this.#host = url.hostname;
    this.#port = Number(url.port || 80);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  request(spec: HttpRequestSpec): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...spec.headers };
      if (spec.body !== undefined) headers["content-length"] = Buffer.byteLength(spec.body);
      const req = http.request(
        { agent: this.#agent, host: this.#host, port: this.#port, method: spec.method, path: spec.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      if (spec.body !== undefined) req.write(spec.body);
      req.end();
    });
  }

  /** Like `request`, but a status of 400 or more throws with the start of the body. */
  async expectOk(spec: HttpRequestSpec): Promise<HttpResponse> {
    const res = await this.request(spec);
    if (res.status >= 400) {
      throw new Error(`${spec.method} ${spec.path}: ${res.status} ${res.body.toString("utf8").slice(0, 300)}`);
    }
    return res;
  }

  close(): void {
    this.#agent.destroy();
  }
}

export interface HelloServer {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

const HELLO = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "content-length": 12 });
  res.end("hello world\\n");
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

/** A bare `node:http` hello-world in its own process (the ceiling of this machine and load generator). */
export function startHelloServer(): Promise<HelloServer> {
  const child: ChildProcess = spawn(process.execPath, ["-e", HELLO], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`hello-world server exited with ${code}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) {
        child.removeAllListeners("exit");
        resolve({
          origin: `http://127.0.0.1:${line.trim()}`,
          pid: child.pid ?? 0,
          stop: () => stopChild(child),
        });
      }
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
