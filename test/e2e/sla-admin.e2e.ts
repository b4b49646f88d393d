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

const logInAsAdmin = (page: Page, path: string) => logInAt(page, path, server.adminEmail, server.adminPassword);

/** Opens a Mantine select (or multi-select) by its label and picks an option. */
async function choose(page: Page, scope: Page | Locator, label: RegExp, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}

const chip = (page: Page, name: RegExp) => page.getByRole("button", { name });

describe("service desk settings and SLA chips", () => {
  const suffix = Date.now().toString(36);
  const calendarName = `Office hours ${suffix}`;
  let ticketPath = "";

  it("sets up a calendar, an SLA policy, the priority matrix and categories, then shows a ticket's SLA", async () => {
    await withPage("sla-admin", async ({ page, shot }) => {
      await logInAsAdmin(page, "/admin/calendars");
      await visible(page.getByRole("heading", { name: "Calendars", level: 1 }));
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      for (const entry of ["Calendars", "SLA policies", "Priority matrix", "Categories"]) {
        await visible(nav.getByRole("link", { name: entry }));
      }

      // A calendar: Mon–Fri 09:00–17:00 in Berlin, with Christmas every year.
      await page.getByRole("button", { name: "New calendar" }).click();
      const form = page.getByRole("dialog", { name: "New calendar" });
      await form.getByLabel(/^Name/).fill(calendarName);
      await form.getByRole("combobox", { name: /^Time zone/ }).fill("Europe/Berl");
      await page.getByRole("option", { name: "Europe/Berlin" }).click();
      await visible(form.getByText("No working hours: the calendar runs 24×7"));
      await form.getByRole("button", { name: "Use Mon–Fri 09:00–17:00" }).click();
      await expect.poll(() => form.getByTestId("hours-row").count()).toBe(5);

      // A mistake only the server sees (an overlap) comes back beside its row.
      await form.getByRole("button", { name: "Add hours" }).click();
      await form.getByRole("textbox", { name: "Start, Saturday, row 6" }).fill("08:00");
      await choose(page, form, /^Day, row 6/, "Fri");
      await form.getByRole("textbox", { name: "Start, Friday, row 6" }).fill("16:00");
      await form.getByRole("textbox", { name: "End, Friday, row 6" }).fill("18:00");
      await form.getByRole("button", { name: "Create calendar" }).click();
      await visible(form.getByText(/overlaps hours\[4\]/));
      await shot("70-calendar-row-error");
      await form.getByRole("button", { name: "Remove Friday, row 6" }).click();

      await form.getByRole("button", { name: "Add holiday" }).click();
      await form.getByLabel("Date, holiday 1").fill("2030-12-25");
      await form.getByLabel("Name, holiday 1").fill("Christmas Day");
      await form.getByLabel("Yearly, holiday 1").check();
      await shot("71-new-calendar");
      await form.getByRole("button", { name: "Create calendar" }).click();
      await hidden(form);
      const row = page.getByRole("row").filter({ hasText: calendarName });
      await visible(row.getByText("Mon–Fri 09:00–17:00"));

      // The due-date preview: 2 working hours from Tuesday 24 Dec 2030, 16:00, skip Christmas.
      await row.getByRole("button", { name: calendarName }).click();
      const edit = page.getByRole("dialog", { name: "Edit calendar" });
      const preview = edit.getByRole("form", { name: "Due-date preview" });
      await preview.getByLabel("Start").fill("2030-12-24T16:00");
      await preview.getByLabel("Working minutes").fill("120");
      await preview.getByRole("button", { name: "Compute due date" }).click();
      const result = edit.getByTestId("preview-result");
      await visible(result);
      expect(await result.textContent()).toMatch(/Due Thu,? 26 Dec 2030,? 10:00 \(Europe\/Berlin\)/);
      await preview.scrollIntoViewIfNeeded();
      await shot("72-calendar-preview");
      await page.keyboard.press("Escape");
      await hidden(edit);

      // An SLA policy for incidents.
      await nav.getByRole("link", { name: "SLA policies" }).click();
      await visible(page.getByRole("heading", { name: "SLA policies", level: 1 }));
      await page.getByRole("button", { name: "New SLA policy" }).click();
      const policy = page.getByRole("dialog", { name: "New SLA policy" });
      await policy.getByLabel(/^Name/).fill(`Incidents ${suffix}`);
      await policy.getByRole("button", { name: "Create policy" }).click();
      await visible(policy.getByText("Choose the calendar whose working time counts"));
      await visible(policy.getByText("Fill in at least one target"));
      await choose(page, policy, /^Calendar/, `${calendarName} (Europe/Berlin)`);
      await choose(page, policy, /^Types/, "Incident");
      await page.keyboard.press("Escape");
      await policy.getByLabel("First response", { exact: true }).fill("60");
      await policy.getByLabel("Resolution", { exact: true }).fill("480");
      await visible(policy.getByText("= 8 h"));
      expect(await policy.getByLabel(/^Warning at/).inputValue()).toBe("80 %");
      await expect.poll(() => policy.getByTestId("pause-row").count()).toBe(2);
      await shot("73-new-sla-policy");
      await policy.getByRole("button", { name: "Create policy" }).click();
      await hidden(policy);
      const policyRow = page.getByRole("row").filter({ hasText: `Incidents ${suffix}` });
      await visible(policyRow.getByText("Resolution 8 h"));
      await shot("74-sla-policies");

      // The priority matrix: low impact and low urgency become P3.
      await nav.getByRole("link", { name: "Priority matrix" }).click();
      const lowLow = page.getByRole("combobox", { name: "Priority for impact Low, urgency Low" });
      await expect.poll(() => lowLow.inputValue()).toBe("P4 · Low");
      await choose(page, page, /^Priority for impact Low, urgency Low/, "P3 · Medium");
      await page.getByRole("button", { name: "Save matrix" }).click();
      await visible(page.getByText("The priority matrix was saved."));
      await page.reload();
      await expect.poll(() => lowLow.inputValue()).toBe("P3 · Medium");
      await shot("75-priority-matrix");

      // Categories, as a tree.
      await nav.getByRole("link", { name: "Categories" }).click();
      const create = page.getByRole("form", { name: "New category" });
      await create.getByLabel(/^Name/).fill(`Hardware ${suffix}`);
      await create.getByRole("button", { name: "Create category" }).click();
      await visible(page.getByText(`Hardware ${suffix} was created.`));
      await page.getByRole("button", { name: `Add a subcategory to Hardware ${suffix}` }).click();
      await create.getByLabel(/^Name/).fill("Laptops");
      await create.getByRole("button", { name: "Create category" }).click();
      const tree = page.getByRole("region", { name: "All categories" });
      await visible(tree.locator("li li").getByText("Laptops"));
      await shot("76-categories");

      // An incident gets the policy's clocks.
      await page.goto("/tickets");
      await page.getByRole("button", { name: "New ticket" }).click();
      const ticket = page.getByRole("dialog", { name: "New ticket" });
      await ticket.getByLabel(/^Title/).fill(`VPN drops ${suffix}`);
      await ticket.getByRole("button", { name: "Create ticket" }).click();
      await visible(page.getByRole("heading", { name: `VPN drops ${suffix}`, level: 1 }));
      ticketPath = new URL(page.url()).pathname;
      await visible(chip(page, /^First response SLA: (running|at risk)/));
      await visible(chip(page, /^Resolution SLA: (running|at risk)/));
      await shot("77-ticket-sla");

      // On hold awaiting the customer pauses the resolution clock; its explanation shows the pause.
      await page.getByRole("button", { name: "Put on hold" }).click();
      const hold = page.getByRole("dialog", { name: "Put on hold" });
      await choose(page, hold, /^Reason/, "Awaiting customer");
      await hold.getByRole("button", { name: "Put on hold" }).click();
      await hidden(hold);
      const resolution = chip(page, /^Resolution SLA: paused/);
      await visible(resolution);
      expect(await resolution.textContent()).toBe("Resolution · paused");
      await resolution.click();
      const why = page.getByRole("dialog", { name: "Why is it due then?" });
      await visible(why.getByText(`Incidents ${suffix}`));
      await visible(why.getByText(/^Started .* — ticket created$/));
      await visible(why.getByText(/^Paused .* — on hold \(awaiting customer\)$/));
      await shot("78-sla-explanation");
      await page.keyboard.press("Escape");
      await hidden(why);
    });
  });

  it("fits a phone: calendar form and SLA chips", async () => {
    await withPage(
      "sla-admin-phone",
      async ({ page, shot }) => {
        await logInAsAdmin(page, "/admin/calendars");
        await page.getByRole("row").filter({ hasText: calendarName }).getByRole("button").click();
        const edit = page.getByRole("dialog", { name: "Edit calendar" });
        await visible(edit.getByTestId("hours-row"));
        await shot("79-phone-calendar");
        await page.keyboard.press("Escape");
        await page.goto(ticketPath);
        await chip(page, /^Resolution SLA: paused/).click();
        await visible(page.getByRole("dialog", { name: "Why is it due then?" }));
        await shot("7a-phone-sla-explanation");
        await page.goto("/admin/priority-matrix");
        await visible(page.getByRole("combobox", { name: "Priority for impact High, urgency High" }));
        await shot("7d-phone-priority-matrix");
        await page.goto("/admin/sla-policies");
        await page.getByRole("button", { name: `Incidents ${suffix}` }).click();
        await visible(page.getByRole("dialog", { name: "Edit SLA policy" }).getByTestId("pause-row"));
        await shot("7e-phone-sla-policy");
      },
      { width: 390, height: 844 },
    );
  });

  it("colours the chips: green met, amber past the warning, red breached", async () => {
    await withPage("sla-chip-colours", async ({ page, shot }) => {
      const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
      const clock = (target: string, status: string, warned: boolean, dueIn: number) => ({
        target,
        status,
        targetMinutes: 240,
        dueAt: at(dueIn),
        warningAt: at(dueIn - 48),
        elapsedMinutes: 200,
        remainingMinutes: Math.max(0, dueIn),
        warned,
        events: [{ at: at(-200), kind: "start", detail: "ticket created" }],
      });
      await page.route("**/api/v1/tickets/*/sla", (route) =>
        route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            policyId: "00000000-0000-4000-8000-000000000001",
            policyName: "Gold",
            calendar: { id: "00000000-0000-4000-8000-000000000002", timezone: "Europe/Berlin", always: false },
            clocks: [
              clock("first_response", "met", false, 30),
              clock("resolution", "running", true, 40),
              clock("next_response", "breached", true, -35),
            ],
          }),
        }),
      );
      await logInAsAdmin(page, ticketPath);
      await visible(chip(page, /^First response SLA: met\. Why\?$/));
      const amber = chip(page, /^Resolution SLA: at risk, due in (39|40) min/);
      await visible(amber);
      expect(await amber.getAttribute("data-warned")).toBe("true");
      const red = chip(page, /^Next response SLA: breached, breached 35 min ago/);
      await visible(red);
      expect(await red.textContent()).toBe("Next response · breached 35 min ago");
      await shot("7b-sla-chip-colours");
    });
  });
});
