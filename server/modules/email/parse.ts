import { type ParsedMail, simpleParser } from "mailparser";

/** Bounds on one inbound message (settings `mail.limits`). */
export interface MailLimits {
  maxBytes: number;
  maxParts: number;
  maxDepth: number;
  maxHeaderBytes: number;
  timeoutMs: number;
}

export const DEFAULT_LIMITS: MailLimits = {
  maxBytes: 25 * 1024 * 1024,
  maxParts: 500,
  maxDepth: 20,
  maxHeaderBytes: 64 * 1024,
  timeoutMs: 20_000,
};

/** A message that cannot be processed; it goes to the quarantine with this reason. */
export class Unprocessable extends Error {}

/**
 * A linear scan of the raw source before any parsing: size, the header section, line lengths,
 * the number of MIME parts and how deep multiparts nest. Pathological messages are refused here
 * in milliseconds instead of stalling the parser.
 */
export function prescan(raw: Buffer, limits: MailLimits): { parts: number; depth: number } {
  if (raw.length > limits.maxBytes) throw new Unprocessable(`larger than ${limits.maxBytes} bytes (${raw.length})`);
  if (raw.length === 0) throw new Unprocessable("empty message");
  const text = raw.toString("latin1");
  const headerEnd = findHeaderEnd(text, 0);
  if ((headerEnd < 0 ? text.length : headerEnd) > limits.maxHeaderBytes) {
    throw new Unprocessable(`header section over ${limits.maxHeaderBytes} bytes`);
  }
  const stack: string[] = [];
  let parts = 0;
  let depth = 0;
  let inHeader = true;
  let header = "";
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    const lineLength = nl - pos;
    if (lineLength > limits.maxHeaderBytes) {
      throw new Unprocessable(`a line over ${limits.maxHeaderBytes} bytes (RFC 5322 allows 998)`);
    }
    const line = text.slice(pos, nl).replace(/\r$/, "");
    pos = nl + 1;
    if (inHeader) {
      if (line === "") {
        inHeader = false;
        const boundary = multipartBoundary(header);
        if (boundary) {
          stack.push(boundary);
          depth = Math.max(depth, stack.length);
          if (depth > limits.maxDepth) throw new Unprocessable(`MIME parts nested deeper than ${limits.maxDepth}`);
        }
        header = "";
      } else {
        if (header.length + line.length > limits.maxHeaderBytes) {
          throw new Unprocessable(`a part's header over ${limits.maxHeaderBytes} bytes`);
        }
        header += /^[ \t]/.test(line) ? ` ${line.trim()}` : `\n${line}`;
      }
      continue;
    }
    if (stack.length === 0 || !line.startsWith("--")) continue;
    const trimmed = line.trimEnd();
    for (let i = stack.length - 1; i >= 0; i--) {
      const b = stack[i];
      if (trimmed === `--${b}--`) {
        stack.length = i;
        break;
      }
      if (trimmed === `--${b}`) {
        stack.length = i + 1;
        parts++;
        if (parts > limits.maxParts) throw new Unprocessable(`more than ${limits.maxParts} MIME parts`);
        inHeader = true;
        break;
      }
    }
  }
  return { parts, depth };
}

function findHeaderEnd(text: string, from: number): number {
  const crlf = text.indexOf("\r\n\r\n", from);
  const lf = text.indexOf("\n\n", from);
  if (crlf < 0) return lf;
  if (lf < 0) return crlf;
  return Math.min(crlf, lf);
}

function multipartBoundary(header: string): string | null {
  const m = /\ncontent-type:\s*multipart\/[^\n]*/i.exec(header);
  if (!m) return null;
  const b = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(m[0]);
  return b ? (b[1] ?? b[2] ?? null) : null;
}

/** Parses a message that passed the prescan, within the time bound. */
export async function parseMail(raw: Buffer, limits: MailLimits): Promise<ParsedMail> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unprocessable(`not parsed within ${limits.timeoutMs} ms`)), limits.timeoutMs);
  });
  try {
    return await Promise.race([
      simpleParser(raw, {
        skipImageLinks: true,
        skipTextLinks: true,
        maxHtmlLengthToParse: 2 * 1024 * 1024,
      }),
      timeout,
    ]);
  } catch (err) {
    if (err instanceof Unprocessable) throw err;
    throw new Unprocessable(`unreadable MIME: ${(err as Error).message}`.slice(0, 500));
  } finally {
    clearTimeout(timer);
  }
}

export interface Address {
  name: string;
  address: string;
}

/** The addresses of a parsed address header (groups flattened), lower-cased, without duplicates. */
export function addressesOf(value: ParsedMail["to"] | ParsedMail["from"]): Address[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Address[] = [];
  const seen = new Set<string>();
  const visit = (entries: { name: string; address?: string; group?: unknown[] }[]) => {
    for (const e of entries) {
      if (e.group) visit(e.group as typeof entries);
      else if (e.address && /^[^\s@]+@[^\s@]+$/.test(e.address)) {
        const address = e.address.toLowerCase();
        if (!seen.has(address)) {
          seen.add(address);
          out.push({ name: (e.name ?? "").slice(0, 200), address });
        }
      }
    }
  };
  for (const o of objects) visit(o.value);
  return out;
}
