import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, logIn, openPage, visible } from "./support/browser.ts";
import { type StewardServer, startServer } from "./support/server.ts";

let server: StewardServer;
let browser: Browser;
const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), "steward-clock-"));
const clockFile = path.join(clockDir, "offset-ms");
const MIN = 60_000;

beforeAll(async () => {
  server = await startServer({ STEWARD_TEST_CLOCK_FILE: clockFile });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

/** Moves the server's clock (through its clock file) and the page's by the same amount. */
async function advance(page: Page, offset: { ms: number }, ms: number) {
  offset.ms += ms;
  fs.writeFileSync(clockFile, String(offset.ms));
  await page.clock.fastForward(ms);
}

/** Reloads until `locator` shows: the escalation job runs on its own every few seconds, not on page load. */
async function eventually(page: Page, locator: Locator, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await locator
      .first()
      .waitFor({ state: "visible", timeout: 2_000 })
      .then(() => true)
      .catch(() => false);
    if (shown || Date.now() > deadline) break;
    await page.reload();
  }
  await visible(locator);
}

describe("an SLA warning and breach fire at their due time", () => {
  it("the escalation job marks the first-response target at warning, then breached, on the chip and the timeline", async () => {
    const { context, page, shot, cspViolations, pageErrors } = await openPage(browser, server.url);
    const offset = { ms: 0 };
    try {
      await page.clock.install();
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
        targets: { firstResponseMinutes: 60 },
        warningPercent: 50,
      });
      const ticket = await post("/api/v1/tickets", {
        type: "incident",
        title: `Core switch down ${suffix}`,
        impact: 1,
        urgency: 1,
      });

      await page.goto(`/tickets/${ticket.id}`);
      const chip = page.getByTestId("sla-chip");
      await visible(page.getByRole("button", { name: /First response SLA: running/i }));
      expect(await chip.getAttribute("data-warned")).toBeNull();
      await shot("90-sla-running");

      // 31 minutes on: past the 50 % warning (30 min), before the due time (60 min).
      await advance(page, offset, 31 * MIN);
      await eventually(page, page.getByText("The first-response target reached its warning threshold"));
      await expect.poll(() => chip.getAttribute("data-warned")).toBe("true");
      expect(await chip.getAttribute("data-status")).toBe("running");
      await expect.poll(() => page.getByText("The first-response target was breached").count()).toBe(0);
      await shot("91-sla-warning");

      // 30 more: past the due time.
      await advance(page, offset, 30 * MIN);
      await eventually(page, page.getByText("The first-response target was breached"));
      await visible(page.getByRole("button", { name: /First response SLA: breached/i }));
      await shot("92-sla-breached");

      // The clock explains itself: the popover names the calendar and the due time.
      await page.getByRole("button", { name: /First response SLA: breached/i }).click();
      await visible(page.getByRole("heading", { name: "Why is it due then?" }));
      await visible(page.getByText("24×7 · UTC"));
      await shot("93-sla-explanation");
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shot("failed-sla-breach").catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  }, 120_000);
});
