import fs from "node:fs";
import type { Logger } from "pino";

/**
 * For browser tests: a clock that runs ahead of the real one by the
 * milliseconds written in a file, so a test can move the server past an SLA
 * due time without waiting for it. Only `deps.now()` moves; timers keep real
 * time, so the escalation poller notices the new time within its interval.
 */
export function fileClock(file: string, log: Logger): { now: () => Date; stop: () => void } {
  let offset = 0;
  const read = () => {
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8").trim();
    } catch {
      return; // not written yet: no offset
    }
    const value = Number(text);
    if (text !== "" && Number.isFinite(value) && value !== offset) {
      offset = value;
      log.warn({ offsetMs: offset }, "test clock moved");
    }
  };
  read();
  fs.watchFile(file, { interval: 100 }, read);
  log.warn(
    { file },
    "the server clock follows a test clock file (STEWARD_TEST_CLOCK_FILE); never use this in production",
  );
  return { now: () => new Date(Date.now() + offset), stop: () => fs.unwatchFile(file, read) };
}
