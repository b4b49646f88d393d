/**
 * The benchmark's output: the Markdown table on the console and the JSON file under bench/results/.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** One line of the table. Absent figures print as "–". */
export interface ReportRow {
  scenario: string;
  p50?: number | undefined;
  p95?: number | undefined;
  p99?: number | undefined;
  /** Steward's throughput (requests, pages, rows or computations per second). */
  perSecond?: number | undefined;
  /** The unit of `perSecond` and `raw` when it is not requests: "rows/s", "pages/s", "/s". */
  unit?: string | undefined;
  /** The same work straight to the database (or the ceiling it is compared with). */
  raw?: number | undefined;
  /** perSecond / raw. */
  ratio?: number | undefined;
  /** The target as the issue states it. */
  target: string;
  /** null: no target, or not measurable here. */
  met: boolean | null;
  /** Errors, notes. */
  note?: string | undefined;
}

const DASH = "–";

export function ms(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return DASH;
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

export function count(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return DASH;
  if (v >= 100) return Math.round(v).toLocaleString("en-US");
  return v.toFixed(1);
}

export function percent(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return DASH;
  return `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;
}

export function megabytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return DASH;
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function perSecondCell(v: number | undefined, unit: string | undefined): string {
  const n = count(v);
  return unit && n !== DASH ? `${n} ${unit}` : n;
}

/** The Markdown table: scenario, p50, p95, p99 ms, req/s, raw req/s, ratio, target, met?. */
export function markdownTable(rows: readonly ReportRow[]): string {
  const header = ["scenario", "p50 ms", "p95 ms", "p99 ms", "req/s", "raw req/s", "ratio", "target", "met?"];
  const lines = rows.map((r) => [
    r.note ? `${r.scenario} (${r.note})` : r.scenario,
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    perSecondCell(r.perSecond, r.unit),
    perSecondCell(r.raw, r.unit),
    percent(r.ratio),
    r.target || DASH,
    r.met === null ? DASH : r.met ? "yes" : "**no**",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const numeric = new Set([1, 2, 3, 4, 5, 6]);
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric.has(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [format(header), rule, ...lines.map(format)].join("\n");
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  os: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the run started and ended (the machine is shared). */
  loadAverage: { start: number[]; end?: number[] };
}

export function machineInfo(): MachineInfo {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: { start: os.loadavg().map((v) => Number(v.toFixed(2))) },
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpuModel}), ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB, ${m.os}, Node ${m.node}`;
}

export const RESULTS_DIR = path.resolve(import.meta.dirname, "../results");

/** Writes the run's JSON (pretty) under bench/results/ and returns its path. */
export function writeResults(name: string, data: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, name);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Resident memory of a process from /proc (Linux): current (VmRSS) and peak (VmHWM), in bytes. */
export function residentMemory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
  } catch {
    return null;
  }
}
