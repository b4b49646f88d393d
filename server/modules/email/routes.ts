import { z } from "zod";
import { IdParamsSchema, IdSchema } from "../../../common/api.ts";
import {
  IntakeResultSchema,
  MailboxCreateSchema,
  MailboxListQuerySchema,
  MailboxListSchema,
  MailboxSchema,
  MailboxTestResultSchema,
  MailboxUpdateSchema,
  OutboundListQuerySchema,
  OutboundMailSchema,
  OutboundPageSchema,
  QuarantinedMailSchema,
  QuarantineListQuerySchema,
  QuarantinePageSchema,
  SmtpSettingsSchema,
  SmtpSettingsUpdateSchema,
  SmtpTestResultSchema,
} from "../../../common/email.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import { Invalid } from "../../platform/errors.ts";
import { testImap } from "./imap.ts";
import {
  createMailbox,
  deleteMailbox,
  getMailbox,
  imapCredentials,
  listMailboxes,
  mailboxRow,
  updateMailbox,
} from "./mailboxes.ts";
import { transportFor } from "./outbound.ts";
import {
  articleSource,
  discardQuarantined,
  listOutbound,
  listQuarantine,
  quarantineRaw,
  retryOutbound,
  retryQuarantined,
} from "./quarantine.ts";
import { getSmtpSettings, storedSmtp, updateSmtpSettings } from "./settings.ts";

const tags = ["email"];

const SmtpTestSchema = z.strictObject({ to: z.email().max(254) });
const ArticleParamsSchema = z.strictObject({ id: IdSchema, articleId: IdSchema });

export function emailRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/v1/mailboxes",
      access: "mail.manage",
      summary: "Mailboxes: where mail comes in and which group it goes to",
      tags,
      query: MailboxListQuerySchema,
      response: { status: 200, schema: MailboxListSchema },
      handler: ({ query }) => listMailboxes(deps, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/mailboxes",
      access: "mail.manage",
      summary: "Add an IMAP mailbox (polled) or an SMTP mailbox (an address the built-in listener accepts)",
      tags,
      body: MailboxCreateSchema,
      response: { status: 201, schema: MailboxSchema },
      handler: ({ ctx, body }) => createMailbox(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/mailboxes/:id",
      access: "mail.manage",
      summary: "One mailbox (the IMAP password is never shown)",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: MailboxSchema },
      handler: ({ params }) => getMailbox(deps, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/mailboxes/:id",
      access: "mail.manage",
      summary: "Change a mailbox (send the version you edited)",
      tags,
      params: IdParamsSchema,
      body: MailboxUpdateSchema,
      response: { status: 200, schema: MailboxSchema },
      handler: ({ ctx, params, body, ifMatch }) => updateMailbox(deps, ctx, params.id, body, ifMatch),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/v1/mailboxes/:id",
      access: "mail.manage",
      summary: "Delete a mailbox no mail has come through (otherwise deactivate it)",
      tags,
      params: IdParamsSchema,
      response: { status: 204 },
      handler: ({ ctx, params }) => deleteMailbox(deps, ctx, params.id),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/mailboxes/:id/test",
      access: "mail.manage",
      summary: "Test a mailbox: IMAP logs in and opens the folder; SMTP says whether the listener takes its mail",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: MailboxTestResultSchema },
      handler: async ({ params }) => {
        const row = await mailboxRow(deps.db as never, params.id);
        if (row.kind === "smtp") {
          const listen = deps.config.smtpListen;
          return listen
            ? { ok: true, detail: `The SMTP listener on ${listen} accepts mail for ${row.address}`, messages: null }
            : { ok: false, detail: "The SMTP listener is off: set STEWARD_SMTP_LISTEN=host:port", messages: null };
        }
        const creds = imapCredentials(row, deps.secrets);
        if (!creds) return { ok: false, detail: "No IMAP password is stored", messages: null };
        return testImap(creds);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/mail/quarantine",
      access: "mail.manage",
      summary: "Messages that could not be processed (held), or were retried or discarded, newest first",
      tags,
      query: QuarantineListQuerySchema,
      response: { status: 200, schema: QuarantinePageSchema },
      handler: ({ query }) => listQuarantine(deps, query),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/mail/quarantine/:id/raw",
      access: "mail.manage",
      summary: "The raw source of a quarantined message, as text",
      tags,
      params: IdParamsSchema,
      response: { status: 200, raw: { contentType: "text/plain" } },
      handler: ({ params, reply }) => quarantineRaw(deps, params.id, reply),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/mail/quarantine/:id/retry",
      access: "mail.manage",
      summary: "Process a held message again",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: IntakeResultSchema },
      handler: ({ ctx, params }) => retryQuarantined(deps, ctx, params.id),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/mail/quarantine/:id/discard",
      access: "mail.manage",
      summary: "Discard a held message (its source is kept for the record)",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: QuarantinedMailSchema },
      handler: ({ ctx, params }) => discardQuarantined(deps, ctx, params.id),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/mail/outbound",
      access: "mail.manage",
      summary: "Outgoing mail and where each is (queued, sending, sent, failed, suppressed), newest first",
      tags,
      query: OutboundListQuerySchema,
      response: { status: 200, schema: OutboundPageSchema },
      handler: ({ query }) => listOutbound(deps, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/mail/outbound/:id/retry",
      access: "mail.manage",
      summary: "Queue a failed mail again",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: OutboundMailSchema },
      handler: ({ ctx, params }) => retryOutbound(deps, ctx, params.id),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/settings/smtp",
      access: "mail.manage",
      summary: "The outgoing mail server (the password is never shown)",
      tags,
      response: { status: 200, schema: SmtpSettingsSchema },
      handler: () => getSmtpSettings(deps),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/v1/settings/smtp",
      access: "mail.manage",
      summary: "Set the outgoing mail server (send the version you edited)",
      tags,
      body: SmtpSettingsUpdateSchema,
      response: { status: 200, schema: SmtpSettingsSchema },
      handler: ({ ctx, body, ifMatch }) => updateSmtpSettings(deps, ctx, body, ifMatch),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/settings/smtp/test",
      access: "mail.manage",
      summary: "Send a test mail through the outgoing mail server now",
      tags,
      body: SmtpTestSchema,
      response: { status: 200, schema: SmtpTestResultSchema },
      handler: async ({ body }) => {
        const smtp = await storedSmtp(deps.db);
        if (!smtp.host || !smtp.from) {
          throw new Invalid([{ field: "body.to", message: "set the SMTP server and sender first" }]);
        }
        try {
          const info = await transportFor(smtp, deps.secrets).sendMail({
            from: smtp.from,
            to: body.to,
            subject: "Steward test mail",
            text: "This is a test of Steward's outgoing mail settings.",
            headers: { "Auto-Submitted": "auto-generated" },
          });
          return { ok: true, detail: `Accepted by ${smtp.host}: ${info.response}` };
        } catch (err) {
          return { ok: false, detail: String((err as Error).message ?? err) };
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/tickets/:id/articles/:articleId/source",
      access: "ticket.read",
      summary: "The original message of an e-mail article (agents only), as text",
      tags,
      params: ArticleParamsSchema,
      response: { status: 200, raw: { contentType: "text/plain" } },
      handler: ({ ctx, params, reply }) => articleSource(deps, ctx, params.id, params.articleId, reply),
    }),
  ];
}
