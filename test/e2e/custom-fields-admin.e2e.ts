import type { Browser, Locator, Page } from "playwright-core";
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

const tag = Date.now().toString(36);
const row = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

async function choose(page: Page, scope: Page | Locator, label: RegExp, option: string) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("custom fields in the admin area", () => {
  it("creates a select field with options, edits and deactivates it, and lists it", async () => {
    await withPage("custom-fields-admin", async ({ page, shot }) => {
      await logInAt(page, "/admin/custom-fields", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "Custom fields", level: 1 }));
      // Linked from the admin navigation, under the service desk's settings.
      await visible(page.getByRole("link", { name: "Custom fields" }));
      await visible(page.getByText("No custom fields yet"));

      await page.getByRole("button", { name: "New custom field" }).click();
      const drawer = page.getByRole("dialog", { name: "New custom field" });
      await drawer.getByLabel(/^Label/).fill(`Affected site ${tag}`);
      // The key follows the label until it is typed by hand.
      await expect.poll(() => drawer.getByLabel(/^Key/).inputValue()).toBe(`affected_site_${tag}`);
      await choose(page, drawer, /^Kind/, "Select");
      const options = drawer.getByLabel(/^Options/);
      await options.fill("Berlin");
      await options.press("Enter");
      await options.fill("Paris");
      await options.press("Enter");
      await drawer.getByRole("switch", { name: /^Required/ }).check();
      await shot("110-custom-field-new");
      await drawer.getByRole("button", { name: "Create field" }).click();
      await hidden(drawer);

      const created = row(page, `Affected site ${tag}`);
      await visible(created.getByText("2 options"));
      await visible(created.getByText("Required"));
      await visible(created.getByText(`affected_site_${tag}`));
      await visible(created.getByText("Active"));

      // Edit: a new label, one more option; the key and kind stay.
      await created.getByRole("button", { name: `Affected site ${tag}` }).click();
      const edit = page.getByRole("dialog", { name: `Edit Affected site ${tag}` });
      await expect.poll(() => edit.getByLabel(/^Key/).isDisabled()).toBe(true);
      await expect.poll(() => edit.getByRole("combobox", { name: /^Kind/ }).isDisabled()).toBe(true);
      await edit.getByLabel(/^Label/).fill(`Site ${tag}`);
      const editOptions = edit.getByLabel(/^Options/);
      await editOptions.fill("Madrid");
      await editOptions.press("Enter");
      await edit.getByRole("button", { name: "Save" }).click();
      await hidden(edit);
      const edited = row(page, `Site ${tag}`);
      await visible(edited.getByText("3 options"));

      // Deactivate it.
      await edited.getByRole("button", { name: `Site ${tag}` }).click();
      const again = page.getByRole("dialog", { name: `Edit Site ${tag}` });
      await again.getByRole("switch", { name: /^Active/ }).uncheck();
      await visible(again.getByText("values already on tickets stay"));
      await again.getByRole("button", { name: "Save" }).click();
      await hidden(again);
      await visible(edited.getByText("Inactive"));

      // The type filter narrows the list.
      await page.getByRole("radiogroup", { name: "Ticket type" }).getByText("Problem").click();
      await visible(page.getByText("No custom fields for problems yet."));
      await page.getByRole("radiogroup", { name: "Ticket type" }).getByText("Incident").click();
      await visible(edited);
      await shot("111-custom-fields-list");
    });
  });

  it("shows the server's refusals beside the fields they are about", async () => {
    await withPage("custom-fields-errors", async ({ page, shot }) => {
      await logInAt(page, "/admin/custom-fields", server.adminEmail, server.adminPassword);
      await page.getByRole("button", { name: "New custom field" }).click();
      const drawer = page.getByRole("dialog", { name: "New custom field" });
      // The key is taken for incidents (the field made above).
      await drawer.getByLabel(/^Label/).fill("Another site");
      await drawer.getByLabel(/^Key/).fill(`affected_site_${tag}`);
      // A select without options: the server says what is missing.
      await choose(page, drawer, /^Kind/, "Multi-select");
      await drawer.getByRole("button", { name: "Create field" }).click();
      await visible(drawer.getByText("a select needs options"));
      expect(await drawer.getByLabel(/^Options/).getAttribute("aria-invalid")).toBe("true");

      await drawer.getByLabel(/^Options/).fill("Lyon");
      await drawer.getByLabel(/^Options/).press("Enter");
      await drawer.getByRole("button", { name: "Create field" }).click();
      await visible(drawer.getByText("already in use"));
      expect(await drawer.getByLabel(/^Key/).getAttribute("aria-invalid")).toBe("true");
      await shot("112-custom-field-error");

      // Another ticket type may use the same key.
      await choose(page, drawer, /^Ticket type/, "Service request");
      await drawer.getByRole("button", { name: "Create field" }).click();
      await hidden(drawer);
      await visible(row(page, "Another site").getByText("Service request"));
    });
  });
});
