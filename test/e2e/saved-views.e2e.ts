import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hidden, launchBrowser, logInAt, type OpenedPage, runInPage, visible } from "./support/browser.ts";
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

const logInAsAdmin = (page: Page, path: string) => logInAt(page, path, server.adminEmail, server.adminPassword);

/** A ticket made through the admin's API session (with its CSRF token). */
async function createTicket(opened: OpenedPage, title: string, impact = 2) {
  const csrf = (await opened.context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const response = await opened.page.request.post("/api/v1/tickets", {
    headers: { "X-CSRF-Token": csrf },
    data: { type: "incident", title, impact, urgency: 2 },
  });
  expect(response.status()).toBe(201);
}

const views = (page: Page) => page.getByRole("navigation", { name: "Views" });

describe("saved views in the work list", () => {
  const suffix = Date.now().toString(36);

  it("lists views with live counts, applies one, saves the current filters as a new view and deletes it", async () => {
    await withPage("saved-views", async (opened) => {
      const { page, shot } = opened;
      await logInAsAdmin(page, "/tickets");
      await visible(views(page).getByRole("button", { name: /^My open tickets, 0 tickets$/ }));
      // The built-in quick views give way to the saved ones.
      await hidden(page.getByRole("radiogroup", { name: "Quick views" }));

      await createTicket(opened, `Disk full ${suffix}`, 1);
      await createTicket(opened, `Toner low ${suffix}`, 3);
      // Counts follow on the next refresh; a change made in this page refreshes them at once.
      await page.reload();
      const unassigned = views(page).getByRole("button", { name: /^Unassigned in my groups, 2 tickets$/ });
      await unassigned.click();
      await expect.poll(() => unassigned.getAttribute("aria-current")).toBe("true");
      await visible(page.getByRole("row").filter({ hasText: `Disk full ${suffix}` }));
      await visible(page.getByRole("row").filter({ hasText: `Toner low ${suffix}` }));

      // Refine it with a filter and save that as a shared view.
      await page.getByRole("combobox", { name: "Priority" }).click();
      await page.getByRole("option", { name: "P2 · High" }).click();
      await page.keyboard.press("Escape");
      await hidden(page.getByRole("row").filter({ hasText: `Toner low ${suffix}` }));
      await views(page).getByRole("button", { name: "Save current filters as view" }).click();
      const dialog = page.getByRole("dialog", { name: "Save current filters as view" });
      await visible(dialog.getByText("Priority: P2"));
      await dialog.getByRole("button", { name: "Save view" }).click();
      await visible(dialog.getByText("Name the view"));
      await dialog.getByLabel(/^Name/).fill(`Urgent unassigned ${suffix}`);
      await dialog.getByLabel("Share with every agent").check();
      await shot("80-save-view");
      await dialog.getByRole("button", { name: "Save view" }).click();
      await hidden(dialog);
      const mine = views(page).getByRole("button", { name: new RegExp(`^Urgent unassigned ${suffix}, \\d+ tickets$`) });
      await expect.poll(() => mine.getAttribute("aria-current")).toBe("true");
      await expect.poll(() => mine.getAttribute("aria-label")).toBe(`Urgent unassigned ${suffix}, 1 tickets`);
      await visible(page.getByRole("row").filter({ hasText: `Disk full ${suffix}` }));
      await hidden(page.getByRole("row").filter({ hasText: `Toner low ${suffix}` }));
      await shot("81-saved-views");

      // A change on a ticket refreshes the counts: assign the P2 one to me.
      await page.getByRole("link", { name: `Disk full ${suffix}` }).click();
      await page.getByRole("combobox", { name: /^Assignee/ }).click();
      await page.getByRole("option", { name: "Administrator" }).click();
      await visible(page.getByText("Administrator assigned it to Administrator"));
      await page.getByRole("link", { name: "Tickets" }).first().click();
      await visible(views(page).getByRole("button", { name: /^My open tickets, 1 tickets$/ }));

      // The chosen view can be deleted (this one is shared: admins may delete it).
      await mine.click();
      await expect.poll(() => mine.getAttribute("aria-current")).toBe("true");
      await views(page)
        .getByRole("button", { name: `Delete the view “Urgent unassigned ${suffix}”` })
        .click();
      const confirm = page.getByRole("dialog", { name: "Delete view" });
      await visible(confirm.getByText("It is shared"));
      await confirm.getByRole("button", { name: "Delete view" }).click();
      await hidden(confirm);
      await hidden(mine);
    });
  });

  it("shows the views on a phone as a select", async () => {
    await withPage(
      "saved-views-phone",
      async ({ page, shot }) => {
        await logInAsAdmin(page, "/tickets");
        const select = page.getByRole("combobox", { name: "View" });
        await expect.poll(() => select.inputValue()).toBe("My open tickets (1)");
        await select.click();
        await page.getByRole("option", { name: /^Unassigned in my groups/ }).click();
        await visible(page.getByRole("link", { name: `Toner low ${suffix}` }));
        await shot("82-phone-saved-views");
        // Home links to the built-in views by name; they open the saved view with the same filters.
        await page.goto("/tickets?view=mine");
        await expect.poll(() => select.inputValue()).toBe("My open tickets (1)");
      },
      { width: 390, height: 844 },
    );
  });

  it("falls back to the built-in quick views while the server has no views, and caps counts at 1000+", async () => {
    await withPage("saved-views-fallback", async ({ page, shot }) => {
      const missing = (route: Route) =>
        route.fulfill({
          status: 404,
          contentType: "application/problem+json",
          body: JSON.stringify({ type: "about:blank", title: "Not Found", status: 404, detail: "Route not found" }),
        });
      await page.route("**/api/v1/views", missing);
      await logInAsAdmin(page, "/tickets");
      await visible(page.getByRole("radiogroup", { name: "Quick views" }));
      await hidden(views(page));
      await visible(page.getByRole("row").filter({ hasText: `Toner low ${suffix}` }));
      await shot("83-views-fallback");

      await page.unroute("**/api/v1/views", missing);
      await page.route("**/api/v1/views", (route) =>
        route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            items: [
              {
                id: "00000000-0000-4000-8000-000000000001",
                name: "Everything open",
                shared: true,
                filters: { stateType: ["new", "open", "pending"] },
                count: 1000,
                countCapped: true,
                abilities: { update: false, delete: false },
              },
            ],
          }),
        }),
      );
      await page.reload();
      await visible(views(page).getByRole("button", { name: "Everything open, 1000+ tickets" }));
      await visible(views(page).getByText("1000+"));
    });
  });
});
