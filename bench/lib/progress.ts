/**
 * Progress of long loads: a bar with the rate (rows/s) and the time left.
 * On a terminal the bar redraws in place; elsewhere (CI logs, pipes) every step prints one line.
 *
 *   const p = new Progress("tickets", 50_000);
 *   p.add(20_000); … p.finish();   // → { rows, seconds, rate }
 */

export interface ProgressResult {
  label: string;
  rows: number;
  seconds: number;
  /** Rows per second over the whole load. */
  rate: number;
}

const WIDTH = 28;

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Seconds → "42.1 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** Rows per second, short: "85,210/s", "1.2M/s". */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return "?/s";
  if (rate >= 1_000_000) return `${(rate / 1_000_000).toFixed(1)}M/s`;
  return `${formatCount(rate)}/s`;
}

export class Progress {
  readonly label: string;
  readonly total: number;
  #done = 0;
  #started = performance.now();
  #finished = false;
  #tty: boolean;
  #out: NodeJS.WriteStream;

  /** `total` in rows (or any unit); 0 or less draws an unbounded counter. */
  constructor(label: string, total: number, out: NodeJS.WriteStream = process.stdout) {
    this.label = label;
    this.total = total;
    this.#out = out;
    this.#tty = Boolean(out.isTTY) && process.env.CI === undefined;
    this.#draw();
  }

  get done(): number {
    return this.#done;
  }

  /** Adds `n` rows and redraws (or prints a line). */
  add(n: number): void {
    this.#done += n;
    this.#draw();
  }

  /** Sets the rows done so far. */
  set(done: number): void {
    this.#done = done;
    this.#draw();
  }

  /** Ends the bar (one final line) and returns the figures. */
  finish(rows = this.#done): ProgressResult {
    this.#done = rows;
    const seconds = (performance.now() - this.#started) / 1000;
    if (!this.#finished) {
      this.#finished = true;
      const line = `${this.#bar(1)} ${formatCount(rows)} rows in ${formatDuration(seconds)} (${formatRate(rows / Math.max(seconds, 1e-6))})`;
      this.#out.write(this.#tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    }
    return { label: this.label, rows, seconds, rate: rows / Math.max(seconds, 1e-6) };
  }

  #bar(fraction: number): string {
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * WIDTH);
    return `${this.label.padEnd(26)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
  }

  #draw(): void {
    if (this.#finished) return;
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = this.#done / Math.max(seconds, 1e-6);
    const bounded = this.total > 0;
    const fraction = bounded ? this.#done / this.total : 0;
    const eta = bounded && rate > 0 ? formatDuration((this.total - this.#done) / rate) : "?";
    const count = bounded ? `${formatCount(this.#done)}/${formatCount(this.total)}` : formatCount(this.#done);
    const line = `${this.#bar(fraction)} ${count} ${this.#done > 0 ? formatRate(rate) : ""}${this.#done > 0 && bounded ? ` ETA ${eta}` : ""}`;
    if (this.#tty) this.#out.write(`\r${line}\x1b[K`);
    else if (this.#done > 0) this.#out.write(`${line}\n`);
  }
}
