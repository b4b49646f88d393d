import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hidden, launchBrowser, logIn, logInAt, logOut, openPage, runInPage, visible } from "./support/browser.ts";
import { freePort, type Sink, startSink } from "./support/mail.ts";
import { type StewardServer, startServer } from "./support/server.ts";

let server: StewardServer;
let browser: Browser;
let sink: Sink;
let sinkPort: number;

beforeAll(async () => {
  sinkPort = await freePort();
  sink = await startSink(sinkPort);
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

interface Json {
  id: string;
  version: number;
  number: string;
  title: string;
  items: Json[];
  rule: string;
  email: boolean;
  inApp: boolean;
  customized: boolean;
  body: string;
}

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "GET" | "POST" | "PUT", url: string, data?: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as Json;
}

const bell = (page: Page, unread: number) =>
  page.getByRole("button", { name: unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread` });

describe("notifications and password reset", () => {
  const tag = Date.now().toString(36);
  const agent = { name: `Nora Notified ${tag}`, email: `nora.${tag}@example.com`, password: "nora-first-password-1" };
  const newPassword = "nora-second-password-2";

  it("tells an agent about a new ticket live, lets them choose how, edits a template and resets a password", async () => {
    await runInPage(browser, server.url, "notifications", async ({ page, shot }) => {
      // The admin sets the scene through the API: an agent in a group.
      await logInAt(page, "/admin/notification-templates", server.adminEmail, server.adminPassword);
      const nora = await api(page, "POST", "/api/v1/users", { ...agent, kind: "agent" });
      const group = await api(page, "POST", "/api/v1/groups", { name: `Night desk ${tag}`, memberIds: [nora.id] });

      const other = await openPage(browser, server.url);
      const noraPage = other.page;
      try {
        await logInAt(noraPage, "/", agent.email, agent.password);
        await visible(bell(noraPage, 0));
        await other.shot("730-bell-empty");

        // A ticket in her group: the bell counts it without a reload (the server pushes the count).
        const ticket = await api(page, "POST", "/api/v1/tickets", {
          type: "incident",
          title: `Printer queue stuck ${tag}`,
          impact: 2,
          urgency: 2,
          groupId: group.id,
        });
        await visible(bell(noraPage, 1), 30_000);
        expect(noraPage.url()).toBe(`${server.url}/`);
        await other.shot("731-bell-one-unread");

        await bell(noraPage, 1).click();
        const dropdown = noraPage.getByRole("dialog", { name: "Notifications" });
        await visible(dropdown);
        const item = dropdown.getByTestId("bell-notification").filter({ hasText: ticket.title });
        await visible(item);
        await visible(item.getByText(/now|minute/));
        await visible(dropdown.getByRole("button", { name: "Mark all read" }));
        await other.shot("732-bell-open");

        // Opening it marks it read and leads to the ticket.
        await item.click();
        await noraPage.waitForURL((url) => url.pathname === `/tickets/${ticket.id}`);
        await visible(noraPage.getByRole("heading", { name: ticket.title, level: 1 }));
        await visible(bell(noraPage, 0));
        await hidden(dropdown);
        await other.shot("733-ticket-from-notification");

        // The notification centre: the read notification, and nothing under Unread.
        await bell(noraPage, 0).click();
        await dropdown.getByRole("link", { name: "See all" }).click();
        await noraPage.waitForURL((url) => url.pathname === "/notifications");
        await visible(noraPage.getByRole("heading", { name: "Notifications", level: 1 }));
        const row = noraPage.getByTestId("notification").filter({ hasText: ticket.title });
        await visible(row);
        await expect(row.getAttribute("data-unread")).resolves.toBeNull();
        await visible(row.getByRole("link", { name: ticket.title }));
        await other.shot("734-notification-centre");
        await noraPage.getByRole("radiogroup", { name: "Show" }).getByText("Unread", { exact: true }).click();
        await visible(noraPage.getByText(/You have read everything/));
        await hidden(row);
        await other.shot("735-notification-centre-unread-empty");

        // Her choices: e-mail for new tickets in her groups, from the user menu.
        await noraPage.getByRole("button", { name: /^Account menu/ }).click();
        await noraPage.getByRole("menuitem", { name: "Notification settings" }).click();
        await noraPage.waitForURL((url) => url.pathname === "/account/notifications");
        await visible(noraPage.getByRole("heading", { name: "Notification settings", level: 1 }));
        const emailSwitch = noraPage.getByRole("switch", { name: "E-mail for New ticket in my groups" });
        await expect(emailSwitch.isChecked()).resolves.toBe(false);
        await expect(
          noraPage.getByRole("switch", { name: "In-app for New ticket in my groups" }).isChecked(),
        ).resolves.toBe(true);
        await visible(noraPage.getByText("A ticket is created in a group you belong to."));
        // By keyboard, as the table is meant to be used too.
        await emailSwitch.focus();
        await noraPage.keyboard.press("Space");
        await visible(noraPage.getByText(/“New ticket in my groups”: you are told by e-mail and in the app\./));
        const rules = await api(noraPage, "GET", "/api/v1/notification-rules");
        expect(rules.items.find((r) => r.rule === "ticket_new_in_group")).toMatchObject({ email: true, inApp: true });
        await other.shot("736-notification-settings");

        // The admin edits the template for new tickets: an unknown placeholder is refused beside the field.
        await page.reload();
        await visible(page.getByRole("heading", { name: "Notification templates", level: 1 }));
        const nav = page.getByRole("navigation", { name: "Main navigation" });
        await visible(nav.getByRole("link", { name: "Notification templates" }));
        await page
          .getByRole("navigation", { name: "Templates" })
          .getByRole("button", { name: "New ticket in my groups" })
          .click();
        const editor = page.getByRole("form", { name: "Template for New ticket in my groups" });
        await visible(editor);
        const body = editor.getByRole("textbox", { name: /^Text/ });
        await body.fill("Hello {{recipient.name}},\n\n{{ticket.nonsense}} is new in {{ticket.group}}.");
        await editor.getByRole("button", { name: "Save template" }).click();
        await visible(editor.getByText(/unknown placeholder \{\{ticket\.nonsense\}\}/));
        await shot("737-template-placeholder-error");

        // Fixed, with a value put in from the list, previewed and saved.
        await body.fill(
          "Hello {{recipient.name}},\n\n{{ticket.requester}} opened {{ticket.number}} in {{ticket.group}}: {{ticket.title}}\n\n",
        );
        await editor.getByRole("button", { name: "Insert {{ticket.link}}" }).click();
        await expect.poll(() => body.inputValue()).toMatch(/\{\{ticket\.title\}\}\n\n\{\{ticket\.link\}\}$/);
        await hidden(editor.getByText(/unknown placeholder/));
        await editor.getByRole("button", { name: "Preview" }).click();
        const preview = page.getByTestId("template-preview");
        await visible(preview.getByText("[INC-000123] New: VPN drops every hour"));
        await visible(preview.getByText(/Jane Doe opened INC-000123 in Service desk/));
        await visible(preview.getByRole("link", { name: /^https:\/\/steward\.example\/tickets\// }));
        await shot("738-template-preview");
        await editor.getByRole("button", { name: "Save template" }).click();
        await visible(page.getByText("“New ticket in my groups” was saved. New notifications use it."));
        await visible(page.getByRole("button", { name: "Restore default" }));
        await visible(page.getByRole("region", { name: "New ticket in my groups" }).getByText("Customized"));
        const templates = await api(page, "GET", "/api/v1/notification-templates");
        const saved = templates.items.find((t) => t.rule === "ticket_new_in_group");
        expect(saved?.customized).toBe(true);
        expect(saved?.body).toContain("{{ticket.requester}} opened {{ticket.number}}");
        await shot("739-template-saved");

        // Forgotten password: mail goes to a local server; the link in it sets a new one.
        const smtp = await api(page, "GET", "/api/v1/settings/smtp");
        await api(page, "PUT", "/api/v1/settings/smtp", {
          version: smtp.version,
          host: "127.0.0.1",
          port: sinkPort,
          secure: "plain",
          user: null,
          from: "steward@steward.test",
        });
        await logOut(noraPage);
        await visible(noraPage.getByRole("link", { name: "Forgot password?" }));
        await other.shot("740-login-forgot-link");
        await noraPage.getByRole("link", { name: "Forgot password?" }).click();
        await noraPage.waitForURL((url) => url.pathname === "/forgot-password");
        await visible(noraPage.getByRole("heading", { name: "Forgot your password?", level: 1 }));
        await noraPage.getByLabel(/^E-mail/).fill(agent.email);
        await noraPage.getByRole("button", { name: "Send the link" }).click();
        await visible(noraPage.getByRole("heading", { name: "Check your mail", level: 1 }));
        await visible(noraPage.getByText(/a link to choose a new password is on its way/));
        await other.shot("741-forgot-password-sent");

        let link = "";
        await expect
          .poll(
            async () => {
              const mail = sink.received.find(
                (m) => m.to.includes(agent.email) && m.raw.includes("Reset your Steward"),
              );
              if (!mail) return "";
              const parsed = await simpleParser(mail.raw);
              link = /\/reset-password#token=[^\s"<>]+/.exec(parsed.text ?? "")?.[0] ?? "";
              return link;
            },
            { timeout: 20_000, interval: 500 },
          )
          .not.toBe("");

        await noraPage.goto(link);
        await visible(noraPage.getByRole("heading", { name: "Choose a new password", level: 1 }));
        await noraPage.getByLabel(/^New password/).fill(newPassword);
        await noraPage.getByLabel(/^Repeat the new password/).fill(`${newPassword}-typo`);
        await noraPage.getByRole("button", { name: "Set new password" }).click();
        await visible(noraPage.getByText("The two passwords are not the same"));
        await other.shot("742-reset-password-mismatch");
        await noraPage.getByLabel(/^Repeat the new password/).fill(newPassword);
        await noraPage.getByRole("button", { name: "Set new password" }).click();
        await visible(noraPage.getByRole("heading", { name: "Password changed", level: 1 }));
        await visible(noraPage.getByText("Your new password is set"));
        await other.shot("743-reset-password-done");

        // The link works once.
        await noraPage.goto("/login");
        await noraPage.goto(link);
        await noraPage.getByLabel(/^New password/).fill("yet-another-password-3");
        await noraPage.getByLabel(/^Repeat the new password/).fill("yet-another-password-3");
        await noraPage.getByRole("button", { name: "Set new password" }).click();
        await visible(noraPage.getByText(/This link is invalid, was used already or has expired/));
        await visible(noraPage.getByRole("link", { name: "Ask for a new link" }));
        await other.shot("744-reset-password-link-used");

        // Signing in with the new password.
        await noraPage.getByRole("link", { name: "Back to log in" }).click();
        await noraPage.waitForURL((url) => url.pathname === "/login");
        await logIn(noraPage, agent.email, newPassword);
        await noraPage.waitForURL((url) => url.pathname === "/");
        await visible(bell(noraPage, 0));
        await other.shot("745-signed-in-with-new-password");

        expect(other.cspViolations).toEqual([]);
        expect(other.pageErrors).toEqual([]);
      } catch (error) {
        await other.shot("failed-notifications-agent").catch(() => {});
        throw error;
      } finally {
        await other.context.close();
      }
    });
  }, 90_000);
});
