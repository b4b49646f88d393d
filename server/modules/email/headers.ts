/**
 * Header values in and out. Every value that reaches an outgoing header goes through
 * `headerValue`, which removes CR, LF, NUL and the other control characters, so no value can
 * start a header of its own.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** One line of header text: control characters become spaces, runs of spaces collapse, at most `max` characters. */
export function headerValue(value: string | null | undefined, max = 998): string {
  if (!value) return "";
  return value
    .replace(CONTROL, " ")
    .replace(/\s{2,}/g, " ")
    .trim()
    .slice(0, max);
}

/** The text without any control character (for names that are metadata only, such as file names). */
export function withoutControls(value: string): string {
  return value.replace(CONTROL, "");
}

const MAX_ID = 250;

/** A Message-ID without its angle brackets, or null when there is none usable. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = (bracketed ? bracketed[1] : value.trim())?.replace(CONTROL, "") ?? "";
  if (!id || /\s/.test(id) || id.length > MAX_ID) return null;
  return id;
}

/** The Message-IDs of an In-Reply-To or References header, oldest first, at most `max` of them. */
export function messageIdList(value: string | string[] | null | undefined, max = 50): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(" ") : value;
  const ids: string[] = [];
  const bracketed = text.match(/<[^<>]+>/g);
  const tokens = bracketed ?? text.split(/\s+/);
  for (const token of tokens) {
    const id = normalizeMessageId(token);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids.slice(-max);
}

const TAG = /\[([A-Z]{2,8}-\d{1,12})\]/i;

/** The ticket number tagged in a subject (`Re: [INC-000123] VPN`), upper-cased, or null. */
export function ticketTag(subject: string | null | undefined): string | null {
  if (!subject) return null;
  const m = TAG.exec(subject);
  return m?.[1] ? m[1].toUpperCase() : null;
}

/** The subject with the ticket's tag, added once (`[INC-000123] Re: VPN`). */
export function withTicketTag(subject: string, number: string): string {
  const clean = headerValue(subject, 900);
  if (clean.toUpperCase().includes(`[${number.toUpperCase()}]`)) return clean;
  return `[${number}] ${clean}`.trim();
}
