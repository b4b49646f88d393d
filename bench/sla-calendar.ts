/**
 * SLA calendar engine throughput: `npx tsx bench/sla-calendar.ts`.
 * A Berlin office calendar (two intervals a weekday, fixed and yearly holidays),
 * random starts over 2024–2027 (DST changes included), 1 minute to 10 working days.
 * Target (issue): 200,000 add() per second per core.
 */
import { compileCalendar } from "../server/modules/sla/index.ts";

const TARGET = 200_000;
const hours = [1, 2, 3, 4, 5].flatMap((day) => [
  { day, start: "08:00", end: "12:00" },
  { day, start: "13:00", end: "17:00" },
]);
const yearly = ["01-01", "05-01", "10-03", "12-25", "12-26"].map((md) => ({
  date: `2000-${md}`,
  name: md,
  yearly: true,
}));
const fixed = ["2024-03-29", "2024-04-01", "2024-05-09", "2024-05-20", "2025-04-18", "2025-04-21", "2025-05-29"].map(
  (date) => ({ date, name: date }),
);
const definition = { timezone: "Europe/Berlin", hours, holidays: [...yearly, ...fixed] };

// Deterministic pseudo-random inputs.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const N = 100_000;
const from = Date.UTC(2024, 0, 1);
const span = Date.UTC(2028, 0, 1) - from;
const starts = Array.from({ length: N }, () => new Date(from + Math.floor(random() * span)));
const minutes = Array.from({ length: N }, () => 1 + Math.floor(random() * 4800));
const ends = Array.from({ length: N }, () => new Date(from + Math.floor(random() * span)));

function rate(label: string, op: (i: number) => number, seconds = 2): number {
  let i = 0;
  let sink = 0;
  const began = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let k = 0; k < 10_000; k++, i++) sink += op(i % N);
    elapsed = performance.now() - began;
  }
  const perSecond = (i / elapsed) * 1000;
  console.log(
    `${label.padEnd(44)} ${Math.round(perSecond).toLocaleString("en-US").padStart(12)} /s  (checksum ${Math.round(Math.abs(sink)) % 997})`,
  );
  return perSecond;
}

const t0 = performance.now();
const cold = compileCalendar(definition);
cold.addWorkingMinutes(new Date("2026-06-01T10:00:00Z"), 60);
console.log(`compile + first add (one local year, cold zone table): ${(performance.now() - t0).toFixed(1)} ms`);

const calendar = compileCalendar(definition);
for (let i = 0; i < 20_000; i++) calendar.addWorkingMinutes(starts[i] as Date, minutes[i] as number); // warm-up
const adds = rate("addWorkingMinutes", (i) =>
  calendar.addWorkingMinutes(starts[i] as Date, minutes[i] as number).getTime(),
);
rate("workingMinutesBetween", (i) => calendar.workingMinutesBetween(starts[i] as Date, ends[i] as Date));
rate("isWorking", (i) => (calendar.isWorking(starts[i] as Date) ? 1 : 0));
console.log(`target ${TARGET.toLocaleString("en-US")} add()/s per core: ${adds >= TARGET ? "met" : "NOT met"}`);
