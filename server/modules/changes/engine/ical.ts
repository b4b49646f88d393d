/**
 * The change calendar as an iCalendar feed (RFC 5545) for calendar programs
 * to subscribe to.
 *
 * - No METHOD property: METHOD makes an iCalendar object an iTIP message
 *   (RFC 5546: PUBLISH, REQUEST, CANCEL …) and a subscribed feed is not one;
 *   clients replace their copy of the feed on every refresh. A cancelled
 *   change stays in the feed as a VEVENT with STATUS:CANCELLED (so clients
 *   that cached it mark it cancelled instead of keeping a ghost), rather than
 *   as a METHOD:CANCEL message, which cannot share an object with live events.
 * - UID `change-<id>@<host>`: the same for the life of the change.
 * - SEQUENCE is the schedule revision the caller passes; bump it when the
 *   window moves (and when the change is cancelled).
 * - DTSTAMP and LAST-MODIFIED are the change's `updatedAt`: without METHOD,
 *   DTSTAMP is "when the information was last revised in the calendar store"
 *   (RFC 5545 §3.8.7.2), and the feed stays byte-identical between refreshes
 *   while nothing changed (good for ETags).
 * - DTSTART/DTEND in UTC ("…Z"), whole seconds; TRANSP:TRANSPARENT, so a
 *   subscriber's free/busy time does not fill up with other people's changes.
 * - Lines end in CRLF and are folded at 75 octets without splitting a UTF-8
 *   character; TEXT values escape \ ; , and newlines.
 */
import { type Instant, toMs } from "./time.ts";

export type CalendarStatus = "confirmed" | "tentative" | "cancelled";

/** One change on the calendar. */
export interface CalendarChange {
  /** The change's id (a UUID): the UID is `change-<id>@<host>`. */
  id: string;
  /** As shown to people, e.g. "CHG-000042". */
  number: string;
  title: string;
  start: Instant;
  end: Instant;
  status: CalendarStatus;
  /** The schedule revision: a whole number ≥ 0, bumped on every reschedule (and on cancellation). */
  sequence: number;
  /** When the change was last modified: DTSTAMP and LAST-MODIFIED. */
  updatedAt: Instant;
  /** CREATED, when given. */
  createdAt?: Instant;
  /** Plain text, newlines allowed. */
  description?: string;
  /** Absolute http(s) link to the change in the web app. */
  url?: string;
}

export interface FeedOptions {
  /** Domain for the UIDs, e.g. "steward.example.com" (letters, digits, dots, hyphens). */
  host: string;
  /** The calendar's name (NAME and X-WR-CALNAME). */
  name?: string;
  /** PRODID; default "-//Steward//Change calendar//EN". */
  prodId?: string;
  /** How often clients should refresh (REFRESH-INTERVAL and X-PUBLISHED-TTL), minutes ≥ 1. */
  refreshMinutes?: number;
  /** A display-zone hint for clients (X-WR-TIMEZONE); times stay in UTC. */
  timezone?: string;
}

const STATUS: Record<CalendarStatus, string> = {
  confirmed: "CONFIRMED",
  tentative: "TENTATIVE",
  cancelled: "CANCELLED",
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Control characters other than tab and the line breaks handled by escaping are not allowed in TEXT.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match them
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped; control characters dropped. */
export function escapeText(value: string): string {
  return value
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(CONTROL, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * Fold a content line (RFC 5545 §3.1): no line longer than 75 octets, not counting the CRLF;
 * continuation lines start with one space (which counts). A UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  if (line.length <= 18 || utf8Length(line) <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = utf8Length(ch);
    if (octets + n > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = 74;
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** "20250330T010000Z": UTC, whole seconds. */
export function formatUtc(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const UID_PART = /^[A-Za-z0-9._-]{1,200}$/;

function uriValue(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`${what}: not an absolute URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new RangeError(`${what}: http(s) only`);
  return parsed.href;
}

/** The UID of a change's event. */
export function eventUid(changeId: string, host: string): string {
  if (!UID_PART.test(changeId)) throw new RangeError(`change id ${JSON.stringify(changeId)} cannot make a UID`);
  if (!HOST.test(host)) throw new RangeError(`host ${JSON.stringify(host)} is not a host name`);
  return `change-${changeId}@${host}`;
}

function eventLines(change: CalendarChange, host: string): string[] {
  const start = toMs(change.start, `change ${change.number} start`);
  const end = toMs(change.end, `change ${change.number} end`);
  if (Math.floor(start / 1000) >= Math.floor(end / 1000)) {
    throw new RangeError(`change ${change.number}: end must be after start`);
  }
  if (!Number.isSafeInteger(change.sequence) || change.sequence < 0) {
    throw new RangeError(`change ${change.number}: sequence must be a whole number ≥ 0`);
  }
  const status = STATUS[change.status];
  if (!status) throw new RangeError(`change ${change.number}: unknown status ${JSON.stringify(change.status)}`);
  const stamp = formatUtc(toMs(change.updatedAt, `change ${change.number} updatedAt`));
  const lines = [
    "BEGIN:VEVENT",
    `UID:${eventUid(change.id, host)}`,
    `DTSTAMP:${stamp}`,
    `DTSTART:${formatUtc(start)}`,
    `DTEND:${formatUtc(end)}`,
    `SEQUENCE:${change.sequence}`,
    `STATUS:${status}`,
    `SUMMARY:${escapeText(`${change.number} ${change.title}`)}`,
  ];
  const description = escapeText(change.description ?? "");
  if (description) lines.push(`DESCRIPTION:${description}`);
  if (change.url) lines.push(`URL:${uriValue(change.url, `change ${change.number} url`)}`);
  if (change.createdAt !== undefined) {
    lines.push(`CREATED:${formatUtc(toMs(change.createdAt, `change ${change.number} createdAt`))}`);
  }
  lines.push(`LAST-MODIFIED:${stamp}`, "TRANSP:TRANSPARENT", "END:VEVENT");
  return lines;
}

/**
 * The feed: one VCALENDAR with a VEVENT per change, ordered by start, then id (so
 * the same input gives the same bytes). Throws RangeError on an invalid change or option.
 */
export function calendarFeed(changes: readonly CalendarChange[], opts: FeedOptions): string {
  if (!HOST.test(opts.host)) throw new RangeError(`host ${JSON.stringify(opts.host)} is not a host name`);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(opts.prodId ?? "-//Steward//Change calendar//EN")}`,
    "CALSCALE:GREGORIAN",
  ];
  if (opts.name) lines.push(`NAME:${escapeText(opts.name)}`, `X-WR-CALNAME:${escapeText(opts.name)}`);
  if (opts.timezone) lines.push(`X-WR-TIMEZONE:${escapeText(opts.timezone)}`);
  if (opts.refreshMinutes !== undefined) {
    if (!Number.isSafeInteger(opts.refreshMinutes) || opts.refreshMinutes < 1) {
      throw new RangeError("refreshMinutes must be a whole number ≥ 1");
    }
    lines.push(
      `REFRESH-INTERVAL;VALUE=DURATION:PT${opts.refreshMinutes}M`,
      `X-PUBLISHED-TTL:PT${opts.refreshMinutes}M`,
    );
  }
  const sorted = changes
    .map((c) => ({ c, start: toMs(c.start, `change ${c.number} start`) }))
    .sort((a, b) => a.start - b.start || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
  for (const { c } of sorted) lines.push(...eventLines(c, opts.host));
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
