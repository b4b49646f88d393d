import type { Browser, Page } from "playwright-core";
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

async function openAdmin(page: Page, section: "Users" | "Organizations" | "Groups") {
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  const link = nav.getByRole("link", { name: section });
  if (!(await link.isVisible())) await nav.getByRole("button", { name: "Admin" }).click();
  await link.click();
  await visible(page.getByRole("heading", { name: section, level: 1 }));
}

describe("the agent workspace", () => {
  it("sets up an organization, a group, a customer and a token; the customer lands on the portal", async () => {
    const suffix = Date.now().toString(36);
    const customerEmail = `casey.${suffix}@acme-${suffix}.example`;
    const customerPassword = "customer-password-1";
    await withPage("workspace", async ({ page, shot }) => {
      await logInAsAdmin(page);

      // The home page leads to the CMDB and change management; what is still to come is marked.
      await visible(page.getByRole("link", { name: "My approvals" }));
      await visible(page.getByRole("link", { name: "Knowledge" }).filter({ hasText: "Soon" }));
      await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Changes" }).click();
      await visible(page.getByRole("heading", { name: "Changes", level: 1 }));
      await shot("20-changes");

      // Organization with a domain.
      await openAdmin(page, "Organizations");
      await page.getByRole("button", { name: "New organization" }).click();
      const orgForm = page.getByRole("dialog", { name: "New organization" });
      await orgForm.getByLabel(/^Name/).fill(`Acme ${suffix}`);
      const domains = orgForm.getByLabel(/^E-mail domains/);
      await domains.fill(`acme-${suffix}.example`);
      await domains.press("Enter");
      await shot("21-new-organization");
      await orgForm.getByRole("button", { name: "Create organization" }).click();
      await hidden(orgForm);
      await visible(page.getByRole("row").filter({ hasText: `acme-${suffix}.example` }));
      await shot("22-organizations");

      // Group with the administrator as member and the Agent role.
      await openAdmin(page, "Groups");
      await page.getByRole("button", { name: "New group" }).click();
      const groupForm = page.getByRole("dialog", { name: "New group" });
      await groupForm.getByLabel(/^Name/).fill(`Service desk ${suffix}`);
      await groupForm.getByLabel(/^Description/).fill("First line support for every customer.");
      await groupForm.getByLabel(/^Members/).fill("admin");
      await page.getByRole("option", { name: /Administrator/ }).click();
      await groupForm.getByLabel(/^Roles/).click();
      await page.getByRole("option", { name: "Agent", exact: true }).click();
      await groupForm.getByLabel(/^Name/).click(); // close the dropdown
      await shot("23-new-group");
      await groupForm.getByRole("button", { name: "Create group" }).click();
      await hidden(groupForm);
      const groupRow = page.getByRole("row").filter({ hasText: `Service desk ${suffix}` });
      await visible(groupRow);
      expect(await groupRow.getByRole("cell").nth(1).textContent()).toBe("1");
      await shot("24-groups");

      // Customer in that organization.
      await openAdmin(page, "Users");
      await page.getByRole("button", { name: "New user" }).click();
      const userForm = page.getByRole("dialog", { name: "New user" });
      await userForm.getByRole("radiogroup", { name: "Kind" }).getByText("Customer").click();
      await userForm.getByLabel(/^Name/).fill(`Casey Customer ${suffix}`);
      await userForm.getByLabel(/^E-mail/).fill(customerEmail);
      await userForm.getByLabel(/^Organization/).fill("Acme");
      await page.getByRole("option", { name: `Acme ${suffix}` }).click();
      await userForm.getByLabel(/^Password/).fill(customerPassword);
      await shot("25-new-customer");
      await userForm.getByRole("button", { name: "Create user" }).click();
      await hidden(userForm);

      // API token: create, see it once, revoke.
      await page.getByRole("button", { name: /^Account menu/ }).click();
      await page.getByRole("menuitem", { name: "API tokens" }).click();
      await visible(page.getByRole("heading", { name: "API tokens", level: 1 }));
      await page.getByRole("button", { name: "New token" }).click();
      const tokenForm = page.getByRole("dialog", { name: "New API token" });
      await tokenForm.getByLabel(/^Name/).fill("Inventory import");
      await tokenForm.getByRole("button", { name: "Create token" }).click();
      const shown = page.getByRole("dialog", { name: "Your new token" });
      await visible(shown.getByRole("button", { name: "Copy token" }));
      expect((await shown.getByLabel("API token").textContent())?.length).toBeGreaterThan(20);
      await shot("26-token-created");
      await shown.getByRole("button", { name: "Done" }).click();
      await hidden(shown);
      await page.getByRole("button", { name: "Revoke Inventory import" }).click();
      await page.getByRole("dialog", { name: "Revoke token?" }).getByRole("button", { name: "Revoke token" }).click();
      await visible(page.getByRole("row").filter({ hasText: "Inventory import" }).getByText("Revoked"));
      await shot("27-tokens");

      await logOut(page);

      // The customer lands on the portal, and the workspace sends them back there.
      await logIn(page, customerEmail, customerPassword);
      await page.waitForURL((url) => url.pathname === "/portal");
      await visible(page.getByRole("heading", { name: /^Welcome, Casey/ }));
      await shot("28-portal");
      await page.goto("/admin/users");
      await page.waitForURL((url) => url.pathname === "/portal");
      await logOut(page);
    });
  });

  it("refuses a stale edit, says why and shows the latest version", async () => {
    await withPage("stale-edit", async ({ page, context, shot }) => {
      await logInAsAdmin(page, "/admin/users");
      await page.getByRole("button", { name: "New user" }).click();
      const create = page.getByRole("dialog", { name: "New user" });
      const email = `stale.${Date.now().toString(36)}@example.com`;
      await create.getByLabel(/^Name/).fill("Stale Sam");
      await create.getByLabel(/^E-mail/).fill(email);
      await create.getByRole("button", { name: "Create user" }).click();
      await hidden(create);

      // A taken e-mail address is reported beside the field.
      await page.getByRole("button", { name: "New user" }).click();
      const duplicate = page.getByRole("dialog", { name: "New user" });
      await duplicate.getByLabel(/^Name/).fill("Sam Again");
      await duplicate.getByLabel(/^E-mail/).fill(email);
      await duplicate.getByRole("button", { name: "Create user" }).click();
      await visible(duplicate.getByText("already in use"));
      await duplicate.getByRole("button", { name: "Cancel" }).click();
      await hidden(duplicate);

      await page.getByRole("row").filter({ hasText: email }).getByRole("button", { name: "Stale Sam" }).click();
      const edit = page.getByRole("dialog", { name: "Edit user" });
      await edit.getByLabel(/^Name/).fill("Sam from the form");

      // Meanwhile someone else renames the user.
      const csrf = (await context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
      const list = await page.request.get(`/api/v1/users?q=${encodeURIComponent(email)}`);
      const user = (await list.json()).items[0] as { id: string; version: number };
      const patched = await page.request.patch(`/api/v1/users/${user.id}`, {
        headers: { "X-CSRF-Token": csrf },
        data: { version: user.version, name: "Sam from elsewhere" },
      });
      expect(patched.status()).toBe(200);

      await edit.getByRole("button", { name: "Save" }).click();
      await visible(page.getByText("This user was changed by someone else"));
      await expect.poll(() => edit.getByLabel(/^Name/).inputValue()).toBe("Sam from elsewhere");
      await shot("29-stale-edit");
    });
  });

  it("fits a phone: the navigation folds behind a burger", async () => {
    await withPage(
      "phone",
      async ({ page, shot }) => {
        await logInAsAdmin(page);
        const nav = page.getByRole("navigation", { name: "Main navigation" });
        expect(await nav.isVisible()).toBe(false);
        await shot("30-phone-home");
        await page.getByRole("button", { name: "Open navigation" }).click();
        await visible(nav.getByRole("link", { name: "Tickets" }));
        await shot("31-phone-navigation");
        await nav.getByRole("link", { name: "Tickets" }).click();
        await visible(page.getByRole("heading", { name: "Tickets", level: 1 }));
        await hidden(nav.getByRole("link", { name: "Tickets" }));
        await shot("32-phone-tickets");
        await page.goto("/admin/users");
        await visible(page.getByRole("heading", { name: "Users", level: 1 }));
        await shot("33-phone-users");
        await page.getByRole("button", { name: /^Account menu/ }).click();
        await page.getByRole("menuitem", { name: "Dark theme" }).click();
        await expect.poll(() => page.locator("html").getAttribute("data-mantine-color-scheme")).toBe("dark");
        await shot("34-phone-users-dark");
      },
      { width: 390, height: 844 },
    );
  });
});
