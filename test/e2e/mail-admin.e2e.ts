import nodemailer, { type SendMailOptions } from "nodemailer";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hidden, launchBrowser, logInAt, type OpenedPage, runInPage, visible } from "./support/browser.ts";
import { freePort, type Sink, startSink } from "./support/mail.ts";
import { type StewardServer, startServer } from "./support/server.ts";

let server: StewardServer;
let browser: Browser;
let sink: Sink;
let listenPort: number;
let sinkPort: number;

beforeAll(async () => {
  listenPort = await freePort();
  sinkPort = await freePort();
  sink = await startSink(sinkPort);
  server = await startServer({ STEWARD_SMTP_LISTEN: `127.0.0.1:${listenPort}` });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

const withPage = (name: string, body: (p: OpenedPage) => Promise<void>) => runInPage(browser, server.url, name, body);
const logInAsAdmin = (page: Page, path: string) => logInAt(page, path, server.adminEmail, server.adminPassword);

interface Json {
  id: string;
  version: number;
  name: string;
  title: string;
  closedReplies: string;
  acknowledge: boolean;
  ticketType: string;
  items: Json[];
}

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "GET" | "POST" | "PATCH" | "PUT", url: string, data?: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as Json;
}

async function choose(page: Page, scope: Page | Locator, label: RegExp | string, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).first().click();
}

/** Hands a message to Steward's SMTP listener, as a mail server in front of it would. */
async function deliver(message: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: listenPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

/** Reloads the page until `locator` shows (the ticket page does not push mail state changes). */
async function reloadUntil(page: Page, locator: Locator, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await locator.first().isVisible()) return;
    if (Date.now() > deadline) throw new Error(`Not visible after ${timeoutMs} ms: ${locator}`);
    await page.waitForTimeout(1_000);
    await page.reload();
    await page.waitForLoadState("networkidle");
  }
}

describe("e-mail screens", () => {
  const tag = Date.now().toString(36);

  it("adds an SMTP mailbox routed to a group, edits it, sets the mail server and shows the empty lists", async () => {
    await withPage("mail-admin", async ({ page, shot }) => {
      await logInAsAdmin(page, "/admin/mailboxes");
      const group = await api(page, "POST", "/api/v1/groups", { name: `Mail desk ${tag}` });
      await page.reload();
      await visible(page.getByRole("heading", { name: "Mailboxes", level: 1 }));
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      for (const entry of ["Mailboxes", "Quarantine", "Outgoing mail", "Mail server"]) {
        await visible(nav.getByRole("link", { name: entry }));
      }
      await visible(page.getByText(/^No mailboxes yet/));
      await shot("700-mailboxes-empty");

      // The form says what is missing before anything is sent.
      await page.getByRole("button", { name: "New mailbox" }).click();
      const form = page.getByRole("dialog", { name: "New mailbox" });
      await visible(form);
      await expect(form.getByRole("radio", { name: /^SMTP listener/ }).isChecked()).resolves.toBe(true);
      await form.getByRole("button", { name: "Create mailbox" }).click();
      await visible(form.getByText("Enter a name"));
      await visible(form.getByText("Choose the group its tickets go to"));

      const name = `Help desk ${tag}`;
      const address = `help-${tag}@steward.test`;
      await form.getByLabel(/^Name/).fill(name);
      await form.getByLabel(/^Address/).fill(address);
      await choose(page, form, /^Group/, group.name);

      // The IMAP settings are there for an IMAP mailbox only.
      await form.getByRole("radio", { name: /^IMAP mailbox/ }).check();
      await visible(form.getByRole("group", { name: "IMAP server" }));
      await visible(form.getByLabel(/^Host/));
      await visible(form.getByLabel(/^Folder/));
      await expect(form.getByLabel(/^Folder/).inputValue()).resolves.toBe("INBOX");
      await form.getByLabel(/^Move processed mail to/).scrollIntoViewIfNeeded();
      await shot("701-mailbox-new-imap");
      await form.getByRole("radio", { name: /^SMTP listener/ }).check();
      await hidden(form.getByLabel(/^Host/));

      await choose(page, form, /^Ticket type/, "Service request");
      await form.getByLabel("Acknowledge new tickets").check();
      await shot("702-mailbox-new-smtp");
      await form.getByRole("button", { name: "Create mailbox" }).click();

      // The new mailbox stays open, so its connection can be tested right away.
      const created = page.getByRole("dialog", { name: `Edit ${name}` });
      await visible(created.getByRole("button", { name: "Test connection" }));
      await created.getByRole("button", { name: "Test connection" }).click();
      await visible(created.getByText("Connection works"));
      await visible(created.getByText(`accepts mail for ${address}`, { exact: false }));
      await shot("703-mailbox-created-tested");
      await created.getByRole("button", { name: "Cancel" }).click();
      await hidden(created);

      const row = page.getByRole("row").filter({ hasText: name });
      await visible(row.getByText(address));
      await visible(row.getByText(group.name));
      await visible(row.getByText("Service request"));
      await visible(row.getByText("SMTP", { exact: true }));
      await visible(row.getByText("Active"));
      await shot("704-mailboxes-list");

      // Opening it and changing its name and how replies to closed tickets are handled.
      await row.getByRole("button", { name }).click();
      const edit = page.getByRole("dialog", { name: `Edit ${name}` });
      await visible(edit);
      await expect(edit.getByLabel(/^Address/).inputValue()).resolves.toBe(address);
      await expect(edit.getByLabel("Acknowledge new tickets").isChecked()).resolves.toBe(true);
      const renamed = `Service desk ${tag}`;
      await edit.getByLabel(/^Name/).fill(renamed);
      await choose(page, edit, /^Replies to closed tickets/, "Reopen the closed ticket");
      await shot("705-mailbox-edit");
      await edit.getByRole("button", { name: "Save" }).click();
      await hidden(edit);
      await visible(page.getByText(`${renamed} was saved.`));
      await visible(page.getByRole("row").filter({ hasText: renamed }).getByText(address));
      const saved = (await api(page, "GET", "/api/v1/mailboxes")).items.find((m) => m.name === renamed);
      expect(saved).toMatchObject({ closedReplies: "reopen", acknowledge: true, ticketType: "service_request" });

      // The outgoing mail server, and a test mail through it.
      await nav.getByRole("link", { name: "Mail server" }).click();
      await visible(page.getByRole("heading", { name: "Outgoing mail server", level: 1 }));
      await visible(page.getByText("Not set up"));
      await page.getByLabel(/^Host/).fill("127.0.0.1");
      await choose(page, page, /^Security/, "None (local test servers only)");
      await page.getByLabel(/^Port/).fill(String(sinkPort));
      await page.getByLabel(/^Sender address/).fill(`desk-${tag}@steward.test`);
      await page.getByRole("button", { name: "Save settings" }).click();
      await visible(page.getByText("The outgoing mail settings were saved."));
      await visible(page.getByText("Configured"));
      await shot("706-smtp-settings-saved");
      const to = `it-${tag}@example.test`;
      await page.getByLabel(/^Send to/).fill(to);
      await page.getByRole("button", { name: "Send test mail" }).click();
      await visible(page.getByText("Test mail sent"));
      expect(sink.received.some((m) => m.to.includes(to) && m.raw.includes("Steward test mail"))).toBe(true);
      await shot("707-smtp-test-mail");

      // Nothing is held or sent yet: the lists say so.
      await nav.getByRole("link", { name: "Quarantine" }).click();
      await visible(page.getByRole("heading", { name: "Mail quarantine", level: 1 }));
      await visible(page.getByRole("tab", { name: "Held", selected: true }));
      await visible(page.getByText("Nothing is held"));
      await shot("708-quarantine-empty");
      await page.getByRole("tab", { name: "Discarded" }).click();
      await visible(page.getByText("Nothing was discarded"));

      await nav.getByRole("link", { name: "Outgoing mail" }).click();
      await visible(page.getByRole("heading", { name: "Outgoing mail", level: 1 }));
      await visible(page.getByText("No mail sent yet"));
      await shot("709-outgoing-empty");

      // The group's signature, added under the replies sent for it.
      await nav.getByRole("link", { name: "Groups" }).click();
      await page.getByRole("row").filter({ hasText: group.name }).getByRole("button", { name: group.name }).click();
      const groupForm = page.getByRole("dialog", { name: "Edit group" });
      await groupForm.getByLabel(/^E-mail signature/).fill("Kind regards,\nThe mail desk");
      await shot("719-group-signature");
      await groupForm.getByRole("button", { name: "Save" }).click();
      await hidden(groupForm);
      const savedGroup = (await api(page, "GET", `/api/v1/groups/${group.id}`)) as Json & { signature: string };
      expect(savedGroup.signature).toBe("Kind regards,\nThe mail desk");
    });
  });

  it("shows an e-mail ticket's envelope, attachments, original, blocked images and failed delivery", async () => {
    await withPage("mail-ticket", async ({ page, shot }) => {
      await logInAsAdmin(page, "/admin/outgoing-mail");
      const group = await api(page, "POST", "/api/v1/groups", { name: `Printers ${tag}` });
      const address = `printers-${tag}@steward.test`;
      await api(page, "POST", "/api/v1/mailboxes", {
        kind: "smtp",
        name: `Printers ${tag}`,
        address,
        groupId: group.id,
        ticketType: "incident",
        acknowledge: true,
      });
      const smtp = await api(page, "GET", "/api/v1/settings/smtp");
      await api(page, "PUT", "/api/v1/settings/smtp", {
        version: smtp.version,
        host: "127.0.0.1",
        port: sinkPort,
        secure: "plain",
        user: null,
        from: `desk-${tag}@steward.test`,
      });

      // Jane's mail server refuses what Steward sends her, so her acknowledgement and reply fail.
      const jane = `refuse-jane-${tag}@acme.example`;
      const subject = `Printer on floor 3 jams ${tag}`;
      const first = `<first-${tag}@acme.example>`;
      await deliver({
        from: `Jane Doe <${jane}>`,
        to: address,
        cc: "Boss <boss@acme.example>",
        subject,
        html: "<p>The printer on floor 3 jams on <b>every</b> job since this morning.</p>",
        messageId: first,
        attachments: [{ filename: "printer-log.txt", content: "E42 paper jam in tray 2\n".repeat(60) }],
      });
      let ticketId = "";
      await expect
        .poll(
          async () => {
            const list = await api(page, "GET", "/api/v1/tickets?limit=50");
            ticketId = list.items.find((t) => t.title === subject)?.id ?? "";
            return ticketId;
          },
          { timeout: 15_000 },
        )
        .not.toBe("");

      await page.goto(`/tickets/${ticketId}`);
      await visible(page.getByRole("heading", { name: subject, level: 1 }));
      await visible(page.getByText("every job since this morning"));
      const opening = page.getByRole("article", { name: "E-mail from Jane Doe" });
      await visible(opening);
      const header = opening.getByRole("definition");
      await visible(header.filter({ hasText: `Jane Doe <${jane}>` }));
      await visible(header.filter({ hasText: address }));
      await visible(header.filter({ hasText: `Boss <boss@acme.example>` }));
      await visible(opening.getByText("E-mail", { exact: true }));
      // Its text is the description above, not repeated.
      await visible(opening.getByText("This message opened the ticket: its text is the description above."));
      await expect(opening.getByText("every job since this morning").count()).resolves.toBe(0);
      await visible(opening.getByRole("link", { name: /^Download printer-log\.txt, 1\.4 KB$/ }));
      await shot("710-mail-ticket");

      await opening.getByRole("button", { name: "View original" }).click();
      const original = page.getByRole("dialog", { name: "Original message" });
      await visible(original.getByText(`Subject: ${subject}`, { exact: false }));
      await visible(original.getByText(`Message-ID: ${first}`, { exact: false }));
      await shot("711-mail-original");
      await original.getByRole("button", { name: "Close" }).click();
      await hidden(original);

      // Her reply, with a picture from the web: blocked until asked for.
      await deliver({
        from: `Jane Doe <${jane}>`,
        to: address,
        subject: `Re: ${subject}`,
        inReplyTo: first,
        references: [first],
        messageId: `<second-${tag}@acme.example>`,
        html: '<p>Here is what the display says.</p><p><img src="https://example.invalid/display.png" alt="The display"></p>',
      });
      const reply = page
        .getByRole("article", { name: "E-mail from Jane Doe" })
        .filter({ hasText: "what the display says" });
      await reloadUntil(page, reply);
      await visible(reply.getByText("1 remote image blocked"));
      const picture = reply.locator("img[data-remote-src]");
      await expect(picture.getAttribute("src")).resolves.toBeNull();
      await shot("712-mail-remote-images-blocked");
      await reply.getByRole("button", { name: "Show images" }).click();
      await expect.poll(() => picture.getAttribute("src")).toBe("https://example.invalid/display.png");
      await hidden(reply.getByText("1 remote image blocked"));

      // An agent's reply goes out by mail; her server refuses it and the article says so.
      await page.getByRole("textbox", { name: "Reply" }).fill("A technician is on the way with a new fuser.");
      await page.getByRole("button", { name: "Send reply" }).click();
      const sent = page.getByRole("article", { name: "E-mail sent by Administrator" });
      await reloadUntil(page, sent.getByText("Not delivered"));
      await visible(sent.getByText("Failed"));
      await visible(sent.getByText(/Mailbox unavailable/));
      await shot("713-mail-reply-failed");

      // The outgoing mail list shows both failures with the server's answer, and sends one again.
      await page.goto("/admin/outgoing-mail");
      await visible(page.getByRole("heading", { name: "Outgoing mail", level: 1 }));
      const rows = page.getByTestId("outbound-mail").filter({ hasText: jane });
      await expect.poll(() => rows.count()).toBe(2);
      await visible(rows.filter({ hasText: "Acknowledgement" }).getByText(/Mailbox unavailable/));
      await page.getByRole("radiogroup", { name: "State" }).getByText("Failed", { exact: true }).click();
      await expect.poll(() => rows.count()).toBe(2);
      await shot("714-outgoing-failed");
      await rows
        .filter({ hasText: "Reply" })
        .first()
        .getByRole("button", { name: /^Retry/ })
        .click();
      await visible(page.getByText(/is queued again\.$/));

      // Mail came through this mailbox, so it cannot be deleted: the dialog offers deactivating it.
      await page.goto("/admin/mailboxes");
      await page
        .getByRole("row")
        .filter({ hasText: address })
        .getByRole("button", { name: `Printers ${tag}` })
        .click();
      const box = page.getByRole("dialog", { name: `Edit Printers ${tag}` });
      await box.getByRole("button", { name: "Delete mailbox" }).click();
      await page.getByRole("dialog", { name: "Delete the mailbox?" }).getByRole("button", { name: "Delete" }).click();
      const instead = page.getByRole("dialog", { name: "Deactivate the mailbox instead?" });
      await visible(instead.getByText(/deactivate it instead/));
      await shot("715-mailbox-in-use");
      await instead.getByRole("button", { name: "Deactivate" }).click();
      await hidden(instead);
      await visible(page.getByText(`Printers ${tag} was deactivated: it takes no more mail.`));
      await expect.poll(() => box.getByRole("switch", { name: "Active" }).isChecked()).toBe(false);
      await shot("716-mailbox-deactivated");
    });
  });

  it("holds mail from unknown senders, shows its source, and lets an admin retry or discard it", async () => {
    await withPage("mail-quarantine", async ({ page, shot }) => {
      await logInAsAdmin(page, "/admin/outgoing-mail");
      const group = await api(page, "POST", "/api/v1/groups", { name: `Facilities ${tag}` });
      const address = `facilities-${tag}@steward.test`;
      const mailbox = await api(page, "POST", "/api/v1/mailboxes", {
        kind: "smtp",
        name: `Facilities ${tag}`,
        address,
        groupId: group.id,
        ticketType: "service_request",
        unknownSenders: "reject",
      });
      const kept = `Broken chair in room 4 ${tag}`;
      const junk = `Cheap sunglasses ${tag}`;
      await deliver({
        from: `Sam Stranger <sam-${tag}@elsewhere.example>`,
        to: address,
        subject: kept,
        text: "It wobbles.",
      });
      await deliver({ from: `offers-${tag}@spam.example`, to: address, subject: junk, text: "Buy now." });

      await page.goto("/admin/mail-quarantine");
      await visible(page.getByRole("heading", { name: "Mail quarantine", level: 1 }));
      const rows = page.getByTestId("quarantined-mail");
      const keptRow = rows.filter({ hasText: kept });
      const junkRow = rows.filter({ hasText: junk });
      await visible(keptRow);
      await visible(junkRow);
      await visible(keptRow.getByText(`sam-${tag}@elsewhere.example`, { exact: false }));
      await shot("720-quarantine-held");

      await keptRow.getByRole("button", { name: `View the source of “${kept}”` }).click();
      const source = page.getByRole("dialog", { name: `Source of “${kept}”` });
      await visible(source.getByText(`Subject: ${kept}`, { exact: false }));
      await shot("721-quarantine-source");
      await source.getByRole("button", { name: "Close" }).click();
      await hidden(source);

      // Still an unknown sender: held again. Once the mailbox takes unknown senders, the retry opens a ticket.
      await keptRow.getByRole("button", { name: `Retry “${kept}”` }).click();
      await visible(page.getByText("Held again"));
      await api(page, "PATCH", `/api/v1/mailboxes/${mailbox.id}`, {
        version: mailbox.version,
        unknownSenders: "create",
      });
      await keptRow.getByRole("button", { name: `Retry “${kept}”` }).click();
      await visible(page.getByText("Ticket opened"));
      await hidden(keptRow);

      await junkRow.getByRole("button", { name: `Discard “${junk}”` }).click();
      const confirm = page.getByRole("dialog", { name: "Discard the message?" });
      await visible(confirm.getByText(junk, { exact: false }));
      await confirm.getByRole("button", { name: "Discard" }).click();
      await hidden(junkRow);
      await visible(page.getByText("Nothing is held"));

      await page.getByRole("tab", { name: "Discarded" }).click();
      await visible(rows.filter({ hasText: junk }));
      await page.getByRole("tab", { name: "Processed" }).click();
      const processed = rows.filter({ hasText: kept });
      await visible(processed);
      await shot("722-quarantine-processed");
      await processed.getByRole("link", { name: "Open ticket" }).click();
      await visible(page.getByRole("heading", { name: kept, level: 1 }));
      await visible(page.getByRole("article", { name: "E-mail from Sam Stranger" }));
    });
  });
});
