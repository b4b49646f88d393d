import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hidden, launchBrowser, logIn, logOut, openPage, visible } from "./support/browser.ts";
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

describe("logging in", () => {
  it("sends a visitor to /login, refuses a wrong password, then returns to the page asked for", async () => {
    const { context, page, cspViolations, pageErrors, shot } = await openPage(browser, server.url);
    try {
      await page.goto("/admin/users");
      await page.waitForURL((url) => url.pathname === "/login");
      expect(new URL(page.url()).searchParams.get("redirect")).toBe("/admin/users");
      await visible(page.getByRole("heading", { name: "Log in" }));
      await shot("01-login");

      await logIn(page, server.adminEmail, "not-the-right-password");
      const error = page.getByRole("alert").filter({ hasText: "not correct" });
      await visible(error);
      await shot("02-login-wrong-password");
      expect(new URL(page.url()).pathname).toBe("/login");

      await page.getByLabel(/^Password/).fill(server.adminPassword);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL((url) => url.pathname === "/admin/users");
      await visible(page.getByRole("heading", { name: "Users", level: 1 }));

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shot("failed-logging-in").catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });
});

describe("administering users", () => {
  it("creates an agent, finds it, deactivates it, and logs out", async () => {
    const { context, page, cspViolations, pageErrors, shot } = await openPage(browser, server.url);
    const suffix = Date.now().toString(36);
    const name = `Dana Agent ${suffix}`;
    const email = `dana.${suffix}@example.com`;
    try {
      await page.goto("/");
      await page.waitForURL((url) => url.pathname === "/login");
      await logIn(page, server.adminEmail, server.adminPassword);
      await page.waitForURL((url) => url.pathname === "/");
      await visible(page.getByRole("heading", { level: 1, name: /^Good (morning|afternoon|evening)/ }));
      await shot("03-home");

      // Admin → Users through the navigation.
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      await nav.getByRole("button", { name: "Admin" }).click();
      await nav.getByRole("link", { name: "Users" }).click();
      await page.waitForURL((url) => url.pathname === "/admin/users");
      await visible(page.getByRole("heading", { name: "Users", level: 1 }));
      await visible(page.getByRole("row").filter({ hasText: server.adminEmail }));
      await shot("04-users-list");

      // New user.
      await page.getByRole("button", { name: "New user" }).click();
      const create = page.getByRole("dialog", { name: "New user" });
      await visible(create);
      await create.getByLabel(/^Name/).fill(name);
      await create.getByLabel(/^E-mail/).fill(email);
      await create.getByLabel(/^Password/).fill("short");
      await create.getByRole("button", { name: "Create user" }).click();
      await visible(create.getByText("Must be at least 12 characters"));
      await create.getByLabel(/^Password/).fill("a-long-enough-password");
      await shot("05-new-user-form");
      await create.getByRole("button", { name: "Create user" }).click();
      await hidden(create);
      await visible(page.getByText(`${name} was added.`));

      // Search finds it.
      await page.getByRole("searchbox", { name: "Search users" }).fill(suffix);
      const row = page.getByRole("row").filter({ hasText: email });
      await visible(row);
      await expect.poll(() => page.getByRole("row").count()).toBe(2); // header + the one match
      await shot("06-users-search");

      // Open it and deactivate.
      await row.getByRole("button", { name }).click();
      const edit = page.getByRole("dialog", { name: "Edit user" });
      await visible(edit);
      const active = edit.getByRole("switch", { name: "Active" });
      expect(await active.isChecked()).toBe(true);
      // The switch's input is visually hidden behind its track: operate it from the keyboard, as a person could.
      await active.focus();
      await page.keyboard.press("Space");
      expect(await active.isChecked()).toBe(false);
      await shot("07-edit-user-deactivate");
      await edit.getByRole("button", { name: "Save" }).click();
      await hidden(edit);
      await visible(page.getByText(`${name} was deactivated.`));

      // Gone from the active list, listed under Inactive.
      await visible(page.getByText(`No user matches “${suffix}”.`));
      await page.getByRole("radiogroup", { name: "Status" }).getByText("Inactive", { exact: true }).click();
      const inactiveRow = page.getByRole("row").filter({ hasText: email });
      await visible(inactiveRow);
      await visible(inactiveRow.getByText("Inactive"));
      await shot("08-users-inactive");

      await logOut(page);
      await visible(page.getByRole("heading", { name: "Log in" }));
      await shot("09-logged-out");

      // The session is really gone: the workspace sends us back to /login.
      await page.goto("/admin/users");
      await page.waitForURL((url) => url.pathname === "/login");

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shot("failed-administering-users").catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });
});
