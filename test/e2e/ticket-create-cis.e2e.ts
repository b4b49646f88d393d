import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, logInAt, type OpenedPage, runInPage, visible } from "./support/browser.ts";
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

const withPage = (name: string, body: (p: OpenedPage) => Promise<void>) => runInPage(browser, server.url, name, body);

async function api(page: Page, method: "GET" | "POST", url: string, data?: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json();
}

describe("the new-ticket form", () => {
  it("offers the requester's organization's CIs first and links the chosen ones to the new ticket", async () => {
    await withPage("ticket-create-cis", async ({ page, shot, cspViolations, pageErrors }) => {
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const tag = Date.now().toString(36);
      const org = await api(page, "POST", "/api/v1/organizations", { name: `Umbrella ${tag}` });
      await api(page, "POST", "/api/v1/users", {
        name: `Riley Requester ${tag}`,
        email: `riley.${tag}@umbrella.example`,
        kind: "customer",
        organizationId: org.id,
        password: "customer-password-1",
      });
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes")).items as { id: string; code: string }[];
      const server1 = await api(page, "POST", "/api/v1/cmdb/cis", {
        classId: classes.find((c) => c.code === "server")?.id,
        name: `umbrella-files-${tag}`,
        organizationId: org.id,
      });

      await page.getByRole("button", { name: "New ticket" }).click();
      const form = page.getByRole("dialog", { name: "New ticket" });
      await form.getByLabel(/^Title/).fill(`File share unreachable ${tag}`);
      const requester = form.getByRole("combobox", { name: /^Requester/ });
      await requester.click();
      await requester.fill(`Riley Requester ${tag}`);
      await page.getByRole("option", { name: new RegExp(`Riley Requester ${tag}`) }).click();
      await form.getByRole("combobox", { name: /^Affected CIs and services/ }).click();
      await visible(page.getByText("The requester's organization"));
      await page.getByRole("option", { name: new RegExp(`umbrella-files-${tag}`) }).click();
      await page.keyboard.press("Escape");
      await shot("180-new-ticket-with-cis");
      await form.getByRole("button", { name: "Create ticket" }).click();
      await page.waitForURL((url) => /^\/tickets\/[0-9a-f-]{36}$/.test(url.pathname));
      const ticketId = new URL(page.url()).pathname.split("/").pop() as string;
      const linked = (await api(page, "GET", `/api/v1/tickets/${ticketId}/cis`)).items as { id: string }[];
      expect(linked.map((c) => c.id)).toEqual([server1.id]);
      await visible(page.getByText(`umbrella-files-${tag}`).first());
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
