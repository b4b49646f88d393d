import type { z } from "zod";
import {
  type IntakeResultBody,
  IntakeResultSchema,
  type MailboxCreateSchema,
  MailboxListSchema,
  MailboxSchema,
  MailboxTestResultSchema,
  type MailboxUpdateSchema,
  OutboundMailSchema,
  OutboundPageSchema,
  QuarantinedMailSchema,
  QuarantinePageSchema,
  type QuarantineStateSchema,
  SmtpSettingsSchema,
  type SmtpSettingsUpdateSchema,
  SmtpTestResultSchema,
} from "../../../common/email.ts";
import { ApiError, request, requestVoid, toApiError } from "./client.ts";

const id = encodeURIComponent;

export type { Mailbox, QuarantinedMail, SmtpSettings } from "../../../common/email.ts";
// Bodies are what the schemas take (their input types): the server applies defaults and transforms.
export type MailboxCreate = z.input<typeof MailboxCreateSchema>;
export type MailboxUpdate = z.input<typeof MailboxUpdateSchema>;
export type MailboxTestResult = z.infer<typeof MailboxTestResultSchema>;
export type QuarantineState = z.infer<typeof QuarantineStateSchema>;
export type OutboundMail = z.infer<typeof OutboundMailSchema>;
export type OutboundState = OutboundMail["state"];
export type SmtpSettingsUpdate = z.input<typeof SmtpSettingsUpdateSchema>;

export type RetryResult = IntakeResultBody;
export type SmtpTestResult = z.infer<typeof SmtpTestResultSchema>;

/** Query keys: one root per resource, so a write can refresh its lists. */
export const emailKeys = {
  mailboxes: ["mailboxes"] as const,
  quarantine: ["mail-quarantine"] as const,
  outbound: ["mail-outbound"] as const,
  smtp: ["smtp-settings"] as const,
  source: (url: string) => ["mail-source", url] as const,
};

// ---- mailboxes ----

export const listMailboxes = () => request("GET", "/mailboxes?limit=200", MailboxListSchema);
export const getMailbox = (mailboxId: string) => request("GET", `/mailboxes/${id(mailboxId)}`, MailboxSchema);
export const createMailbox = (body: MailboxCreate) => request("POST", "/mailboxes", MailboxSchema, { body });
export const updateMailbox = (mailboxId: string, body: MailboxUpdate) =>
  request("PATCH", `/mailboxes/${id(mailboxId)}`, MailboxSchema, { body });
/** 409 when mail already came through it: deactivate it instead. */
export const deleteMailbox = (mailboxId: string) => requestVoid("DELETE", `/mailboxes/${id(mailboxId)}`);
/** IMAP: connects, logs in and opens the folder. SMTP: whether the listener takes its mail. */
export const testMailbox = (mailboxId: string) =>
  request("POST", `/mailboxes/${id(mailboxId)}/test`, MailboxTestResultSchema);

// ---- quarantine ----

export const listQuarantine = (params: { state: QuarantineState; cursor?: string | undefined; limit?: number }) =>
  request("GET", "/mail/quarantine", QuarantinePageSchema, { query: { ...params } });
export const quarantineRawUrl = (mailId: string) => `/api/v1/mail/quarantine/${id(mailId)}/raw`;
export const retryQuarantined = (mailId: string) =>
  request("POST", `/mail/quarantine/${id(mailId)}/retry`, IntakeResultSchema);
export const discardQuarantined = (mailId: string) =>
  request("POST", `/mail/quarantine/${id(mailId)}/discard`, QuarantinedMailSchema);

// ---- outgoing mail ----

export const listOutbound = (params: {
  state?: OutboundState | undefined;
  cursor?: string | undefined;
  limit?: number;
}) => request("GET", "/mail/outbound", OutboundPageSchema, { query: { ...params } });
/** Queues a failed mail again. */
export const retryOutbound = (mailId: string) =>
  request("POST", `/mail/outbound/${id(mailId)}/retry`, OutboundMailSchema);

// ---- SMTP settings ----

export const getSmtpSettings = () => request("GET", "/settings/smtp", SmtpSettingsSchema);
export const saveSmtpSettings = (body: SmtpSettingsUpdate) =>
  request("PUT", "/settings/smtp", SmtpSettingsSchema, { body });
/** Sends a test mail now; `ok` false with the server's words when it was refused. */
export const sendSmtpTest = (to: string) =>
  request("POST", "/settings/smtp/test", SmtpTestResultSchema, { body: { to } });

// ---- message sources ----

/** The original message of an e-mail article (agents only). */
export const articleSourceUrl = (ticketId: string, articleId: string) =>
  `/api/v1/tickets/${id(ticketId)}/articles/${id(articleId)}/source`;

/** A message source as text (`url` is one of the …Url helpers above, under /api/v1). */
export async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/plain, application/problem+json" },
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Steward could not be reached. Check your connection and try again.",
    });
  }
  if (!response.ok) throw await toApiError(response);
  return response.text();
}
