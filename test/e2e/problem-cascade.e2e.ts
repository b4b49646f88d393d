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

interface Made {
  id: string;
  number: string;
  version: number;
}

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "POST" | "PATCH", url: string, data: unknown): Promise<Made> {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as Made;
}

async function ticketState(page: Page, id: string): Promise<string> {
  return ((await (await page.request.get(`/api/v1/tickets/${id}`)).json()) as { state: string }).state;
}

describe("a problem and its incidents", () => {
  it("the known error's workaround shows on the incident; resolving the problem offers to resolve its incidents", async () => {
    await withPage("problem-cascade", async ({ page, shot, cspViolations, pageErrors }) => {
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const tag = Date.now().toString(36);
      const problem = await api(page, "POST", "/api/v1/tickets", {
        type: "problem",
        title: `Mail relay drops large messages ${tag}`,
        impact: 2,
        urgency: 2,
      });
      const incidents: Made[] = [];
      for (const who of ["Finance", "Sales"]) {
        const inc = await api(page, "POST", "/api/v1/tickets", {
          type: "incident",
          title: `${who} cannot send attachments ${tag}`,
          impact: 2,
          urgency: 2,
        });
        incidents.push(
          await api(page, "PATCH", `/api/v1/tickets/${inc.id}`, { version: inc.version, problemId: problem.id }),
        );
      }
      const [first, second] = incidents as [Made, Made];

      // Investigate, then record the known error with its workaround.
      await page.goto(`/tickets/${problem.id}`);
      await page.getByRole("button", { name: "Start investigating" }).click();
      await visible(page.getByTestId("state-badge").filter({ hasText: "Investigating" }));
      await page.getByRole("button", { name: /known error/i }).click();
      const knownError = page.getByRole("dialog");
      await knownError.getByLabel("Root cause").fill("The relay's message size limit is 10 MB");
      await knownError.getByLabel("Workaround").fill("Share large files through the file portal");
      await knownError.getByRole("button", { name: /known error/i }).click();
      await visible(page.getByTestId("state-badge").filter({ hasText: "Known error" }));

      // The incident shows the problem's workaround.
      await page.goto(`/tickets/${first.id}`);
      await visible(page.getByText("Share large files through the file portal"));
      await shot("130-incident-shows-workaround");

      // Resolving the problem offers to resolve both open incidents.
      await page.goto(`/tickets/${problem.id}`);
      await page.getByRole("button", { name: "Resolve" }).click();
      const resolve = page.getByRole("dialog");
      const offer = resolve.getByRole("checkbox", { name: /2 open incidents linked to this problem/ });
      await visible(offer);
      expect(await offer.isChecked()).toBe(true);
      await resolve.getByLabel("Resolution").fill("Raised the relay limit to 50 MB");
      await shot("131-resolve-problem-offers-incidents");
      await resolve.getByRole("button", { name: "Resolve" }).click();
      await visible(page.getByTestId("state-badge").filter({ hasText: "Resolved" }));
      await expect.poll(() => ticketState(page, first.id)).toBe("resolved");
      expect(await ticketState(page, second.id)).toBe("resolved");

      // The incident's timeline and outcome say what resolved it.
      await page.goto(`/tickets/${second.id}`);
      await visible(page.getByText("Raised the relay limit to 50 MB"));
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });

  it("unchecking the offer resolves the problem alone", async () => {
    await withPage("problem-no-cascade", async ({ page }) => {
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const problem = await api(page, "POST", "/api/v1/tickets", {
        type: "problem",
        title: "Printer driver crashes",
        impact: 3,
        urgency: 3,
      });
      const inc = await api(page, "POST", "/api/v1/tickets", {
        type: "incident",
        title: "Cannot print the invoice run",
        impact: 3,
        urgency: 3,
      });
      await api(page, "PATCH", `/api/v1/tickets/${inc.id}`, { version: inc.version, problemId: problem.id });
      await api(page, "POST", `/api/v1/tickets/${problem.id}/transitions`, { to: "investigating" });
      await page.goto(`/tickets/${problem.id}`);
      await page.getByRole("button", { name: "Resolve" }).click();
      const resolve = page.getByRole("dialog");
      await resolve.getByRole("checkbox", { name: /open incident linked to this problem/ }).uncheck();
      await resolve.getByLabel("Resolution").fill("Rolled back the driver");
      await resolve.getByRole("button", { name: "Resolve" }).click();
      await visible(page.getByTestId("state-badge").filter({ hasText: "Resolved" }));
      expect(await ticketState(page, inc.id)).toBe("new");
    });
  });
});
