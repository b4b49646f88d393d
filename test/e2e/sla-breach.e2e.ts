import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, logIn, openPage, visible } from "./support/browser.ts";
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

describe("an SLA breach fires at its due time", () => {
  it("the escalation job marks a one-minute first-response target as breached, on the chip and the timeline", async () => {
    const { context, page, shot, cspViolations, pageErrors } = await openPage(browser, server.url);
    try {
      await page.goto("/tickets");
      await page.waitForURL((url) => url.pathname === "/login");
      await logIn(page, server.adminEmail, server.adminPassword);
      await page.waitForURL((url) => url.pathname === "/tickets");
      const csrf = (await context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
      const post = async (url: string, data: unknown) => {
        const res = await page.request.post(url, { headers: { "X-CSRF-Token": csrf }, data });
        expect(res.status(), `${url}: ${await res.text()}`).toBe(201);
        return (await res.json()) as { id: string };
      };
      const suffix = Date.now().toString(36);
      const calendar = await post("/api/v1/calendars", { name: `Always ${suffix}`, timezone: "UTC", hours: [] });
      await post("/api/v1/sla-policies", {
        name: `Critical ${suffix}`,
        calendarId: calendar.id,
        order: 0,
        match: { priorities: ["P1"] },
        targets: { firstResponseMinutes: 1 },
      });
      const ticket = await post("/api/v1/tickets", {
        type: "incident",
        title: `Core switch down ${suffix}`,
        impact: 1,
        urgency: 1,
      });

      await page.goto(`/tickets/${ticket.id}`);
      await visible(page.getByRole("button", { name: /First response SLA: running/i }));
      await shot("90-sla-running");

      // No clock is moved here: the server's escalation job has to notice the due time by itself.
      const breachEntry = page.getByText("The first-response target was breached");
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        await page.waitForTimeout(10_000);
        await page.reload();
        if ((await breachEntry.count()) > 0) break;
      }
      await visible(breachEntry);
      await visible(page.getByRole("button", { name: /First response SLA: breached/i }));
      await shot("91-sla-breached");
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shot("failed-sla-breach").catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  }, 180_000);
});
