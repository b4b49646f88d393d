import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hidden,
  launchBrowser,
  logIn,
  logInAt,
  logOut,
  type OpenedPage,
  runInPage,
  visible,
} from "./support/browser.ts";
import { type StewardServer, startServer } from "./support/server.ts";

let server: StewardServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const withPage = (name: string, body: (p: OpenedPage) => Promise<void>, viewport?: { width: number; height: number }) =>
  runInPage(browser, server.url, name, body, viewport);

const logInAsAdmin = (page: Page, path = "/") => logInAt(page, path, server.adminEmail, server.adminPassword);

/** Opens a Mantine select by its label and picks an option. */
async function choose(page: Page, scope: Page | Locator, label: RegExp, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}

/** An organization and a customer of it, made through the admin's API session (with its CSRF token). */
async function createCustomer(page: Page, context: BrowserContext, tag: string) {
  const headers = { "X-CSRF-Token": (await context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "" };
  const org = await page.request.post("/api/v1/organizations", { headers, data: { name: `Globex ${tag}` } });
  expect(org.status()).toBe(201);
  const email = `casey.${tag}@globex.example`;
  const password = "customer-password-1";
  const user = await page.request.post("/api/v1/users", {
    headers,
    data: { name: "Casey Customer", email, kind: "customer", organizationId: (await org.json()).id, password },
  });
  expect(user.status()).toBe(201);
  return { email, password };
}

const stateBadge = (page: Page) => page.getByTestId("state-badge").first();

/** The timeline's entries, oldest first, as text. */
async function timeline(page: Page): Promise<string[]> {
  return page.getByRole("list", { name: "Timeline" }).locator(":scope > li").allTextContents();
}

describe("the service desk", () => {
  const suffix = Date.now().toString(36);
  const title = `Mail server down ${suffix}`;

  it("takes an incident from the create form to closed, with replies, notes and state dialogs", async () => {
    await withPage("tickets", async ({ page, context, shot }) => {
      await logInAsAdmin(page, "/tickets");
      await visible(page.getByRole("heading", { name: "Tickets", level: 1 }));
      await visible(page.getByText("Nothing in “My open tickets”."));

      // "?" shows the shortcuts, "c" opens the create form.
      await page.keyboard.press("?");
      const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      await visible(help.getByText("Next ticket"));
      await shot("40-tickets-shortcuts");
      await page.keyboard.press("Escape");
      await hidden(help);
      await page.keyboard.press("c");
      const form = page.getByRole("dialog", { name: "New ticket" });
      await visible(form);
      await form.getByLabel(/^Title/).fill(title);
      await form.getByLabel(/^Description/).fill("Nobody receives mail.\n\n<b>Not bold</b> & not markup.");

      // The priority preview follows impact × urgency.
      const preview = form.getByTestId("priority-preview");
      await expect.poll(() => preview.textContent()).toContain("P3");
      await choose(page, form, /^Impact/, "1 · High");
      await expect.poll(() => preview.textContent()).toContain("P2");
      await choose(page, form, /^Urgency/, "1 · High");
      await expect.poll(() => preview.textContent()).toContain("P1");
      await shot("41-new-ticket");
      await form.getByRole("button", { name: "Create ticket" }).click();
      await hidden(form);

      // The new ticket opens; the description is text, not markup.
      await page.waitForURL((url) => url.pathname.startsWith("/tickets/"));
      await visible(page.getByRole("heading", { name: title, level: 1 }));
      await visible(page.getByText("<b>Not bold</b> & not markup."));
      expect(await stateBadge(page).textContent()).toBe("New");
      const number =
        (await page
          .locator("header")
          .getByText(/^INC-\d{6}$/)
          .textContent()) ?? "";

      // Back in the list: "/" searches, j moves to the row, Enter opens it.
      await page.getByRole("link", { name: "Tickets" }).first().click();
      await page.getByRole("button", { name: /^Unassigned in my groups, \d+ tickets$/ }).click();
      await visible(page.getByRole("row").filter({ hasText: title }));
      await page.keyboard.press("/");
      await page.keyboard.type(number.replace(/-0+/, "-"));
      await expect.poll(() => page.getByRole("row").count()).toBe(2);
      await page.keyboard.press("Escape");
      await page.keyboard.press("j");
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(title);
      await shot("42-tickets-list");
      await page.keyboard.press("Enter");
      await visible(page.getByRole("heading", { name: title, level: 1 }));

      // A public reply and an internal note.
      await page.getByRole("textbox", { name: "Reply" }).fill("We are looking into it.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await visible(page.getByRole("article", { name: "Reply from Administrator" }));
      await page.getByRole("radiogroup", { name: "Message kind" }).getByText("Internal note").click();
      await page.getByRole("textbox", { name: "Internal note" }).fill("Disk full on mx1, cleaning up.");
      await page.getByLabel(/^Time spent/).fill("15");
      await page.getByRole("button", { name: "Add note" }).click();
      const note = page.getByRole("article", { name: "Internal note from Administrator" });
      await visible(note);
      await visible(note.getByText("Internal"));
      await visible(note.getByText("15 min spent"));

      // On hold needs a reason: the server's message shows beside the field.
      await page.getByRole("button", { name: "Put on hold" }).click();
      const hold = page.getByRole("dialog", { name: "Put on hold" });
      await hold.getByRole("button", { name: "Put on hold" }).click();
      await visible(hold.getByText("Say why the ticket is on hold"));
      await shot("43-hold-needs-reason");
      await choose(page, hold, /^Reason/, "Awaiting customer");
      await hold.getByRole("button", { name: "Put on hold" }).click();
      await hidden(hold);
      await expect.poll(() => stateBadge(page).textContent()).toBe("On hold (awaiting customer)");

      await page.getByRole("button", { name: "Resume" }).click();
      await expect.poll(() => stateBadge(page).textContent()).toBe("In progress");

      // Someone else edits the ticket meanwhile: our stale edit is refused, and the latest version shows.
      const ticketId = new URL(page.url()).pathname.split("/").pop() ?? "";
      const csrf = (await context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
      const current = (await (await page.request.get(`/api/v1/tickets/${ticketId}`)).json()) as { version: number };
      const patched = await page.request.patch(`/api/v1/tickets/${ticketId}`, {
        headers: { "X-CSRF-Token": csrf },
        data: { version: current.version, tags: ["mail"] },
      });
      expect(patched.status()).toBe(200);
      await choose(page, page, /^Urgency/, "2 · Medium");
      await visible(page.getByText("This ticket was changed by someone else"));
      await visible(page.getByRole("region", { name: "Details" }).getByText("mail", { exact: true }));
      expect(await page.getByRole("combobox", { name: /^Urgency/ }).inputValue()).toBe("1 · High");

      // A field edit saves at once and shows on the timeline.
      await choose(page, page, /^Assignee/, "Administrator");
      await visible(page.getByText("Administrator assigned it to Administrator"));

      // Resolving needs a code and a text.
      await page.getByRole("button", { name: "Resolve" }).click();
      const resolve = page.getByRole("dialog", { name: "Resolve" });
      await resolve.getByRole("button", { name: "Resolve" }).click();
      await visible(resolve.getByText("Required to resolve"));
      await visible(resolve.getByText("Describe the resolution"));
      await choose(page, resolve, /^Resolution code/, "Solved");
      await resolve.getByRole("textbox", { name: /^Resolution/ }).fill("Freed disk space and restarted the MTA.");
      await shot("44-resolve-dialog");
      await resolve.getByRole("button", { name: "Resolve" }).click();
      await hidden(resolve);
      await expect.poll(() => stateBadge(page).textContent()).toBe("Resolved");
      await visible(page.getByText("Freed disk space and restarted the MTA."));

      await page.getByRole("button", { name: "Close", exact: true }).click();
      const close = page.getByRole("dialog", { name: "Close" });
      await close.getByRole("button", { name: "Close", exact: true }).click();
      await hidden(close);
      await expect.poll(() => stateBadge(page).textContent()).toBe("Closed");
      await hidden(page.getByRole("button", { name: "Send reply" }));

      // The timeline tells the story in order.
      await expect.poll(async () => (await timeline(page)).length).toBe(7);
      const entries = await timeline(page);
      expect(entries[0]).toContain("We are looking into it.");
      expect(entries[1]).toContain("Disk full on mx1");
      expect(entries[2]).toContain("Administrator changed the state from New to On hold (awaiting customer)");
      expect(entries[3]).toContain("changed the state from On hold (awaiting customer) to In progress");
      expect(entries[4]).toContain("Administrator assigned it to Administrator");
      expect(entries[5]).toContain("changed the state from In progress to Resolved");
      expect(entries[6]).toContain("changed the state from Resolved to Closed");
      await shot("45-ticket-closed");

      await page.getByRole("button", { name: /^Account menu/ }).click();
      await page.getByRole("menuitem", { name: "Dark theme" }).click();
      await expect.poll(() => page.locator("html").getAttribute("data-mantine-color-scheme")).toBe("dark");
      await shot("46-ticket-closed-dark");
    });
  });

  it("lets a customer open a request in the portal, follow it and reply, without calling admin endpoints", async () => {
    await withPage("portal", async ({ page, context, shot }) => {
      await logInAsAdmin(page, "/");
      const { email, password } = await createCustomer(page, context, suffix);
      await logOut(page);

      const calls: string[] = [];
      page.on("request", (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith("/api/")) calls.push(path);
      });
      await logIn(page, email, password);
      await page.waitForURL((url) => url.pathname === "/portal");
      await visible(page.getByRole("heading", { name: /^Welcome, Casey/ }));
      await visible(page.getByText("You have no requests yet."));

      await page.getByRole("link", { name: "New request" }).click();
      const form = page.getByRole("form", { name: "New request" });
      await form.getByText("I need something").click();
      await form.getByLabel(/^Subject/).fill(`New laptop ${suffix}`);
      await form.getByLabel(/^Details/).fill("My laptop is five years old and very slow.");
      await choose(page, form, /^How urgent/, "I can work, but it slows me down");
      await shot("50-portal-new-request");
      await form.getByRole("button", { name: "Send request" }).click();
      await page.waitForURL((url) => url.pathname.startsWith("/portal/requests/"));
      await visible(page.getByRole("heading", { name: `New laptop ${suffix}`, level: 1 }));
      await visible(page.getByText("Received").first());

      await page.getByRole("link", { name: "My requests" }).first().click();
      const row = page.getByRole("link", { name: new RegExp(`New laptop ${suffix}`) });
      await visible(row);
      await shot("51-portal-my-requests");
      await row.click();
      await page.getByRole("textbox", { name: "Reply" }).fill("Any model with 16 GB is fine.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await visible(page.getByRole("article", { name: "Reply from Casey Customer" }));
      await hidden(page.getByText("Internal note"));
      await shot("52-portal-request");

      const adminCalls = calls.filter((p) => /^\/api\/v1\/(users|groups|organizations|roles)/.test(p));
      expect(adminCalls).toEqual([]);
    });
  });

  it("fits a phone: work list, ticket and portal", async () => {
    await withPage(
      "tickets-phone",
      async ({ page, context, shot }) => {
        await logInAsAdmin(page, "/tickets");
        await choose(page, page, /^View$/, /^SLA breached/);
        await visible(page.getByText("Nothing in “SLA breached”."));
        await page.getByRole("button", { name: "Filters", exact: true }).click();
        await visible(page.getByRole("group", { name: "Filters" }));
        await shot("55-phone-tickets-filters");
        await page.getByRole("button", { name: "Filters", exact: true }).click();
        await choose(page, page, /^View$/, /^My open tickets/);
        await page.getByRole("button", { name: "New ticket" }).click();
        const form = page.getByRole("dialog", { name: "New ticket" });
        await form.getByLabel(/^Title/).fill(`Printer jammed ${suffix}`);
        await form.getByRole("button", { name: "Create ticket" }).click();
        await visible(page.getByRole("heading", { name: `Printer jammed ${suffix}`, level: 1 }));
        await shot("56-phone-ticket");
        await page.goto("/tickets?view=unassigned");
        await visible(page.getByRole("row").filter({ hasText: `Printer jammed ${suffix}` }));
        await shot("57-phone-tickets");

        const customer = await createCustomer(page, context, `${suffix}-phone`);
        await logOut(page);
        await logIn(page, customer.email, customer.password);
        await page.waitForURL((url) => url.pathname === "/portal");
        await page.getByRole("link", { name: "New request" }).click();
        const request = page.getByRole("form", { name: "New request" });
        await request.getByLabel(/^Subject/).fill("Cannot print");
        await request.getByLabel(/^Details/).fill("The printer on floor 2 says offline.");
        await shot("58-phone-portal-new-request");
        await request.getByRole("button", { name: "Send request" }).click();
        await visible(page.getByRole("heading", { name: "Cannot print", level: 1 }));
        await shot("59-phone-portal-request");
        await page.getByRole("link", { name: "My requests" }).first().click();
        await visible(page.getByRole("link", { name: /Cannot print/ }));
        await shot("60-phone-portal-home");
      },
      { width: 390, height: 844 },
    );
  });
});
