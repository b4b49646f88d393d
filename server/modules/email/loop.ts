import type { ParsedMail } from "mailparser";
import { normalizeMessageId } from "./headers.ts";
import { addressesOf } from "./parse.ts";

/**
 * RFC 3834 loop protection: whether a message was sent by a machine (so Steward answers it with
 * no automatic mail), and whether it is a delivery status notification (RFC 3464) about a
 * message Steward sent.
 */
export interface Bounce {
  /** The Message-ID of the message that could not be delivered, when the report names it. */
  originalMessageId: string | null;
  recipients: string[];
  /** `failed`, `delayed`, … from the report; null when the report has none. */
  action: string | null;
  status: string | null;
}

export interface Classification {
  /** Why the message counts as automatic, or null for a person's mail. */
  automatic: string | null;
  bounce: Bounce | null;
}

const MACHINE_SENDERS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+-].*)?$/i;

function header(parsed: ParsedMail, name: string): string | null {
  const v = parsed.headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(String).join(" ");
  if (typeof v === "object" && "value" in v) return String((v as { value: unknown }).value);
  if (typeof v === "object" && "text" in v) return String((v as { text: unknown }).text);
  return String(v);
}

export function classify(
  parsed: ParsedMail,
  envelope: { returnPath?: string | undefined },
  own: Set<string>,
): Classification {
  const bounce = bounceOf(parsed);
  return { automatic: automaticReason(parsed, envelope, own, bounce !== null), bounce };
}

function automaticReason(
  parsed: ParsedMail,
  envelope: { returnPath?: string | undefined },
  own: Set<string>,
  isBounce: boolean,
): string | null {
  if (isBounce) return "delivery status notification";
  const autoSubmitted = header(parsed, "auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith("no")) return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = header(parsed, "precedence")?.trim().toLowerCase();
  if (precedence && ["bulk", "list", "junk"].includes(precedence)) return `Precedence: ${precedence}`;
  if (header(parsed, "list-id") !== null) return "List-Id";
  const suppress = header(parsed, "x-auto-response-suppress")?.toLowerCase() ?? "";
  if (/\b(all|autoreply|oof)\b/.test(suppress)) return `X-Auto-Response-Suppress: ${suppress}`;
  if (header(parsed, "x-autoreply") !== null || header(parsed, "x-autorespond") !== null) return "X-Autoreply";
  if (envelope.returnPath !== undefined && envelope.returnPath.replace(/[<>\s]/g, "") === "")
    return "empty return path";
  for (const a of addressesOf(parsed.from)) {
    const local = a.address.split("@")[0] ?? "";
    if (MACHINE_SENDERS.test(local)) return `sent by ${a.address}`;
    if (own.has(a.address)) return `sent by Steward's own address ${a.address}`;
  }
  return null;
}

/** The delivery status notification in a message, or null when it is not one. */
function bounceOf(parsed: ParsedMail): Bounce | null {
  const contentType = parsed.headers.get("content-type") as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  const isReport =
    contentType?.value?.toLowerCase() === "multipart/report" &&
    (contentType.params?.["report-type"] ?? "").toLowerCase() === "delivery-status";
  const statusPart = parsed.attachments.find((a) =>
    ["message/delivery-status", "message/global-delivery-status"].includes(a.contentType.toLowerCase()),
  );
  if (!isReport && !statusPart) return null;

  const recipients: string[] = [];
  let action: string | null = null;
  let status: string | null = null;
  const report = statusPart?.content.toString("utf8").slice(0, 64 * 1024) ?? parsed.text?.slice(0, 64 * 1024) ?? "";
  for (const line of report.split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const field = m[1].toLowerCase();
    const value = m[2].trim();
    if (field === "final-recipient" || field === "original-recipient") {
      const address = value.replace(/^[^;]*;\s*/, "").toLowerCase();
      if (address && !recipients.includes(address) && recipients.length < 50) recipients.push(address);
    } else if (field === "action" && action === null) action = value.toLowerCase();
    else if (field === "status" && status === null) status = value;
  }

  return { originalMessageId: originalMessageIdOf(parsed), recipients, action, status };
}

/** The Message-ID of the returned message: from its attached copy or headers, else from the report's text. */
function originalMessageIdOf(parsed: ParsedMail): string | null {
  const sources: string[] = [];
  for (const a of parsed.attachments) {
    const type = a.contentType.toLowerCase();
    if (type === "message/rfc822" || type === "text/rfc822-headers" || type === "message/global") {
      sources.push(a.content.toString("utf8").slice(0, 256 * 1024));
    }
  }
  if (parsed.text) sources.push(parsed.text.slice(0, 256 * 1024));
  for (const text of sources) {
    const m = /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(text);
    const id = normalizeMessageId(m?.[1]);
    if (id) return id;
  }
  return null;
}

/** The headers of Steward's own automatic mail (RFC 3834), so other systems do not answer it. */
export function autoSubmittedHeaders(kind: "auto-generated" | "auto-replied"): Record<string, string> {
  return { "Auto-Submitted": kind, "X-Auto-Response-Suppress": "All", Precedence: "bulk" };
}
