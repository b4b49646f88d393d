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

const withPage = (name: string, body: (p: OpenedPage) => Promise<void>) => runInPage(browser, server.url, name, body);
const logInAsAdmin = (page: Page, path: string) => logInAt(page, path, server.adminEmail, server.adminPassword);

interface Made {
  id: string;
  number: string;
  name: string;
  version: number;
  state: string;
  approved: boolean;
}

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, data?: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as Made & { items: (Made & { code: string })[] };
}

async function choose(page: Page, scope: Page | Locator, label: RegExp | string, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).first().click();
}

/** The browser runs in Europe/Berlin: wall-clock time there as an ISO instant. */
function berlin(y: number, month: number, day: number, hour: number, minute = 0): string {
  const guess = Date.UTC(y, month, day, hour, minute);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Berlin",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const shown = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return new Date(guess - (shown - guess)).toISOString();
}

/** "2026-12-10T00:00", as a datetime-local field takes it. */
const local = (y: number, month: number, day: number, hour: number) =>
  `${y}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00`;

async function newServerCi(page: Page, name: string): Promise<Made> {
  const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items;
  const serverClass = classes.find((c) => c.code === "server") as Made;
  return api(page, "POST", "/api/v1/cmdb/cis", { classId: serverClass.id, name });
}

const move = (page: Page, id: string, to: string, reason?: string) =>
  api(page, "POST", `/api/v1/changes/${id}/transitions`, { to, ...(reason ? { reason } : {}) });

describe("change management screens", () => {
  const tag = Date.now().toString(36);

  it("creates a standard change template, approves it, and an edit takes the approval away", async () => {
    await withPage("change-templates", async ({ page, shot }) => {
      const name = `Patch web servers ${tag}`;
      await logInAsAdmin(page, "/admin/change-templates");
      await visible(page.getByRole("heading", { name: "Standard change templates", level: 1 }));
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      for (const entry of ["Risk and review", "Standard changes", "CAB", "Change windows"]) {
        await visible(nav.getByRole("link", { name: entry }));
      }

      await page.getByRole("button", { name: "New template" }).click();
      const form = page.getByRole("dialog", { name: "New standard change template" });
      await visible(form);
      // The rollback plan is required, and said so beside the field.
      await form.getByLabel(/^Name/).fill(name);
      await form.getByLabel(/^Change title/).fill("Monthly OS patches on the web tier");
      await form.getByRole("button", { name: "Create template" }).click();
      await visible(form.getByText("Say how a change made from it is rolled back"));
      await form.getByLabel(/^Description/).fill("Apply the vendor's monthly security patches, one node at a time.");
      await form.getByLabel(/^Duration/).fill("90");
      await choose(page, form, /^Category/, "Software");
      await form.getByLabel(/^Rollback plan/).fill("Boot the previous kernel and restore the package snapshot.");
      await form.getByRole("radiogroup", { name: "Outage" }).getByText("Partial", { exact: true }).click();
      await form.getByRole("button", { name: "Add work order" }).click();
      await form.getByLabel("Title, work order 1").fill("Drain and patch node 1");
      await form.getByRole("button", { name: "Add work order" }).click();
      await form.getByLabel("Title, work order 2").fill("Smoke test");
      await shot("600-change-template-new");
      await form.getByRole("button", { name: "Create template" }).click();

      // The new template stays open, not approved yet, with the button that approves it.
      const edit = page.getByRole("dialog", { name: `Edit ${name}` });
      await visible(edit.getByText("Standard changes cannot be made from it until it is approved."));
      await shot("601-change-template-not-approved");
      await edit.getByRole("button", { name: "Approve template" }).click();
      await visible(edit.getByText(/Approved by Administrator on/));
      await shot("602-change-template-approved");
      await edit.getByRole("button", { name: "Cancel" }).click();
      await hidden(edit);
      const row = page.getByRole("row").filter({ hasText: name });
      await visible(row.getByText("Approved", { exact: true }));

      // An edit of its content withdraws the approval: the server says so and the list shows it.
      await row.getByRole("button", { name }).click();
      const again = page.getByRole("dialog", { name: `Edit ${name}` });
      await again.getByLabel(/^Description/).fill("Apply the vendor's monthly patches, two nodes at a time.");
      await visible(again.getByText("Saving this edit withdraws the template's approval."));
      await expect.poll(() => again.getByTestId("template-work-order").count()).toBe(2);
      await again.getByRole("button", { name: "Save" }).click();
      await hidden(again);
      await visible(row.getByText("Needs approval"));
      const saved = (await api(page, "GET", "/api/v1/change-templates?limit=200")).items.find((t) => t.name === name);
      expect(saved?.approved).toBe(false);
      await shot("603-change-templates-needs-approval");

      // Approving from the list.
      await row.getByRole("button", { name: `Approve ${name}` }).click();
      await visible(row.getByText("Approved", { exact: true }));
      await shot("604-change-templates-list");
    });
  });

  it("a blackout added on the windows page and two changes on one CI show as conflicts on the calendar", async () => {
    await withPage("change-calendar", async ({ page, shot }) => {
      await logInAsAdmin(page, "/admin/change-windows");
      await visible(page.getByRole("heading", { name: "Maintenance and blackout windows", level: 1 }));
      const now = new Date();
      // Next month, as the browser (Berlin) sees it.
      const y = now.getUTCMonth() === 11 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
      const m = (now.getUTCMonth() + 1) % 12;
      const freeze = `Release freeze ${tag}`;

      // A global blackout from the 10th to the 12th.
      await page.getByRole("button", { name: "New blackout window" }).click();
      const blackout = page.getByRole("dialog", { name: "New blackout window" });
      await blackout.getByLabel(/^Name/).fill(freeze);
      await blackout.getByLabel(/^Starts/).fill(local(y, m, 12, 0));
      await blackout.getByLabel(/^Ends/).fill(local(y, m, 10, 0));
      await visible(blackout.getByText("A global freeze: every change planned in this period conflicts with it."));
      await blackout.getByRole("button", { name: "Add blackout window" }).click();
      await visible(blackout.getByText("Must be after the start"));
      await blackout.getByLabel(/^Starts/).fill(local(y, m, 10, 0));
      await blackout.getByLabel(/^Ends/).fill(local(y, m, 12, 0));
      await shot("610-blackout-new");
      await blackout.getByRole("button", { name: "Add blackout window" }).click();
      await hidden(blackout);
      const blackoutRow = page
        .getByRole("table", { name: "Blackout windows" })
        .getByRole("row")
        .filter({ hasText: freeze });
      await visible(blackoutRow.getByText("Global"));

      // A weekly maintenance window on another CI, made with the recurrence builder.
      const db = await newServerCi(page, `db-primary-${tag}`);
      const other = await newServerCi(page, `backup-host-${tag}`);
      await page.getByRole("button", { name: "New maintenance window" }).click();
      const maintenance = page.getByRole("dialog", { name: "New maintenance window" });
      await maintenance.getByLabel(/^Name/).fill(`Sunday patching ${tag}`);
      const cis = maintenance.getByRole("combobox", { name: /^Configuration items/ });
      await cis.click();
      await cis.fill(`backup-host-${tag}`);
      await page.getByRole("option", { name: new RegExp(`backup-host-${tag}`) }).click();
      await maintenance.getByLabel(/^First occurrence/).fill("2026-01-04T02:00");
      await maintenance.getByLabel(/^Duration/).fill("240");
      await maintenance.getByRole("combobox", { name: /^Time zone/ }).fill("Europe/Berl");
      await page.getByRole("option", { name: "Europe/Berlin" }).click();
      const weekdays = maintenance.getByRole("group", { name: "Weekdays" });
      const rule = maintenance.getByLabel("Generated rule");
      await weekdays.getByText("Wed", { exact: true }).click();
      await expect.poll(() => rule.textContent()).toBe("FREQ=WEEKLY;BYDAY=WE,SU");
      await weekdays.getByText("Wed", { exact: true }).click();
      await expect.poll(() => rule.textContent()).toBe("FREQ=WEEKLY;BYDAY=SU");
      await visible(maintenance.getByText("Every Sunday at 02:00 for 4 h (Europe/Berlin), from 2026-01-04"));
      await shot("611-maintenance-new");
      await maintenance.getByRole("button", { name: "Add maintenance window" }).click();
      await hidden(maintenance);
      const maintenanceRow = page
        .getByRole("table", { name: "Maintenance windows" })
        .getByRole("row")
        .filter({ hasText: `Sunday patching ${tag}` });
      await visible(maintenanceRow.getByText("Every Sunday at 02:00 for 4 h (Europe/Berlin), from 2026-01-04"));
      await visible(maintenanceRow.getByText(other.name));
      await shot("612-change-windows");

      // Two normal changes on the same CI at overlapping times; the first reaches into the freeze.
      const me = await api(page, "GET", "/api/v1/me");
      const plan = (title: string, start: string, end: string) =>
        api(page, "POST", "/api/v1/changes", {
          type: "normal",
          title,
          description: "Upgrade the database engine",
          justification: "End of support",
          ownerId: me.id,
          plannedStart: start,
          plannedEnd: end,
          ciIds: [db.id],
          rollbackPlan: "Restore the snapshot",
        });
      const a = await plan(`Upgrade DB engine ${tag}`, berlin(y, m, 11, 22), berlin(y, m, 12, 2));
      const b = await plan(`Rotate DB certificates ${tag}`, berlin(y, m, 12, 1), berlin(y, m, 12, 3));
      // Out of draft, each counts against the other.
      await move(page, a.id, "assessment");
      await move(page, b.id, "assessment");

      await page.goto("/changes/calendar");
      await visible(page.getByRole("heading", { name: "Change calendar", level: 1 }));
      await page.getByRole("button", { name: "Next month" }).click();
      const monthTitle = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric" }).format(
        new Date(Date.UTC(y, m, 15)),
      );
      await visible(page.getByRole("heading", { name: monthTitle, level: 2 }));
      const month = page.getByTestId("calendar-month");
      const chipA = month.getByRole("link", { name: `${a.number} Upgrade DB engine ${tag} — 2 conflicts` });
      const chipB = month.getByRole("link", { name: `${b.number} Rotate DB certificates ${tag} — 1 conflict` });
      await visible(chipA);
      await visible(chipB);
      // A spans two days: a bar in the week of the 11th that the 12th continues.
      expect(await chipA.count()).toBeGreaterThanOrEqual(1);
      expect(await chipA.first().getAttribute("data-conflict")).toBe("true");
      expect(await chipB.first().getAttribute("data-conflict")).toBe("true");
      await visible(month.getByRole("note", { name: new RegExp(`^Blackout \\(global\\): ${freeze}`) }));
      await visible(month.getByRole("note", { name: new RegExp(`^Maintenance window: Sunday patching ${tag}`) }));
      await visible(page.getByText("2 changes · 2 with open conflicts"));
      // The conflicts in words: on hover and focus, and for screen readers in the description.
      await chipA.first().hover();
      const tooltip = page.getByRole("tooltip");
      await visible(tooltip.getByText(new RegExp(`falls in the blackout "${freeze}"`)));
      await visible(tooltip.getByText(new RegExp(`${b.number}.*also changes db-primary-${tag}`)));
      await shot("613-change-calendar-month");
      const description = await chipA
        .first()
        .evaluate((el) => document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent ?? "");
      expect(description).toMatch(new RegExp(`falls in the blackout "${freeze}"`));
      expect(await chipA.first().getAttribute("href")).toBe(`/changes/${a.id}`);

      // The week of the 11th: blocks on the time grid, the freeze behind them.
      await page.getByRole("radiogroup", { name: "View" }).getByText("Week", { exact: true }).click();
      const firstWeekday = (new Date(Date.UTC(y, m, 1)).getUTCDay() + 6) % 7;
      const weeksAhead = Math.floor((firstWeekday + 10) / 7);
      for (let i = 0; i < weeksAhead; i++) await page.getByRole("button", { name: "Next week" }).click();
      const week = page.getByTestId("calendar-week");
      await visible(week.getByRole("link", { name: `${a.number} Upgrade DB engine ${tag} — 2 conflicts` }));
      await visible(week.getByRole("note", { name: new RegExp(`^Blackout \\(global\\): ${freeze}`) }));
      await shot("614-change-calendar-week");

      // The list: every change of the month, the conflicts spelled out.
      await page.getByRole("radiogroup", { name: "View" }).getByText("List", { exact: true }).click();
      const list = page.getByTestId("calendar-list");
      await visible(list.getByText(new RegExp(`Blackout \\(global\\):.*${freeze}`)));
      const rowA = list.getByRole("row", { name: `${a.number} Upgrade DB engine ${tag} — 2 conflicts` });
      const rowB = list.getByRole("row", { name: `${b.number} Rotate DB certificates ${tag} — 1 conflict` });
      await visible(rowA.getByText(new RegExp(`falls in the blackout "${freeze}"`)));
      await visible(rowA.getByText(new RegExp(`${b.number}.*also changes db-primary-${tag}`)));
      await visible(rowB.getByText(new RegExp(`${a.number}.*also changes db-primary-${tag}`)));
      expect(await rowA.getAttribute("data-conflict")).toBe("true");
      expect(await rowB.getAttribute("data-conflict")).toBe("true");
      await shot("615-change-calendar-list");
      // The view and the period are in the address: a reload (or a shared link) shows the same.
      expect(new URL(page.url()).searchParams.get("view")).toBe("list");
      expect(new URL(page.url()).searchParams.get("date")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await page.reload();
      await visible(rowA);

      // Filtering by the other CI leaves neither change.
      await page.getByRole("combobox", { name: "Configuration item" }).fill(`backup-host-${tag}`);
      await page.getByRole("option", { name: new RegExp(`backup-host-${tag}`) }).click();
      await visible(page.getByText("No changes are planned in this period."));
      await page.getByRole("button", { name: "Clear filters" }).click();
      await visible(rowA);

      // A link opens the change.
      await rowA.getByRole("link", { name: `Upgrade DB engine ${tag}` }).click();
      await page.waitForURL((url) => url.pathname === `/changes/${a.id}`);
    });
  });

  it("the report shows the figures of changes walked through their review", async () => {
    await withPage("change-report", async ({ page, shot }) => {
      await logInAsAdmin(page, "/changes/report");
      await visible(page.getByRole("heading", { name: "Change report", level: 1 }));
      const me = await api(page, "GET", "/api/v1/me");
      const template = await api(page, "POST", "/api/v1/change-templates", {
        name: `Restart app pool ${tag}`,
        title: "Restart the application pool",
        description: "Recycle the pool",
        justification: "Memory growth",
        durationMinutes: 30,
        rollbackPlan: "Start the old pool again",
      });
      await api(page, "POST", `/api/v1/change-templates/${template.id}/approve`);

      // Mid-month of this month (UTC), an hour apart: nothing overlaps, nothing sits in a freeze.
      const now = new Date();
      const at = (hour: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 15, hour)).toISOString();
      let hour = 6;
      const make = async (type: "standard" | "normal" | "emergency", title: string) => {
        const ci = await newServerCi(page, `report-${title.toLowerCase().replace(/\W+/g, "-")}-${tag}`);
        const start = at(hour++);
        return {
          ci,
          change: await api(page, "POST", "/api/v1/changes", {
            type,
            title: `${title} ${tag}`,
            description: "Routine",
            justification: "Routine",
            ownerId: me.id,
            plannedStart: start,
            plannedEnd: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
            ciIds: [ci.id],
            rollbackPlan: "Undo it",
            ...(type === "standard" ? { templateId: template.id } : {}),
          }),
        };
      };
      const implement = async (id: string) => {
        await move(page, id, "scheduled");
        await move(page, id, "implementing");
      };
      const review = (id: string, outcome: string) =>
        api(page, "PUT", `/api/v1/changes/${id}/review`, { outcome, notes: "Checked" });

      const s1 = await make("standard", "Pool restart one");
      await implement(s1.change.id);
      // An incident on its CI while it is in progress: this change is followed by incidents.
      const incident = await api(page, "POST", "/api/v1/tickets", {
        type: "incident",
        title: `Pool errors ${tag}`,
        impact: 2,
        urgency: 2,
      });
      await api(page, "PUT", `/api/v1/tickets/${incident.id}/cis`, { ciIds: [s1.ci.id] });
      await move(page, s1.change.id, "review");
      await review(s1.change.id, "successful");
      await move(page, s1.change.id, "closed");

      const s2 = await make("standard", "Pool restart two");
      await implement(s2.change.id);
      await move(page, s2.change.id, "review");
      await review(s2.change.id, "successful");
      await move(page, s2.change.id, "closed");

      const s3 = await make("standard", "Pool restart three");
      await implement(s3.change.id);
      await move(page, s3.change.id, "rolled_back", "The pool did not come back");
      await move(page, s3.change.id, "review");
      await review(s3.change.id, "rolled_back");
      await move(page, s3.change.id, "closed");

      const s4 = await make("standard", "Pool restart four");
      await implement(s4.change.id);
      await move(page, s4.change.id, "review");
      await review(s4.change.id, "partially_successful");

      await make("emergency", "Hotfix login");
      await make("normal", "Resize volumes");
      // Canceled changes are not counted.
      const s5 = await make("standard", "Pool restart canceled");
      await move(page, s5.change.id, "canceled", "Not needed");

      await page.getByRole("radiogroup", { name: "Period" }).getByText("Last 3 months", { exact: true }).click();
      const card = (name: string) => page.getByRole("region", { name });
      await visible(card("Changes").getByText("6", { exact: true }));
      await visible(card("Changes").getByText("4 standard · 1 normal · 1 emergency"));
      await visible(card("Success rate").getByText("50%", { exact: true }));
      await visible(card("Success rate").getByText("2 of 4 reviewed changes successful"));
      await visible(card("Emergency share").getByText("17%", { exact: true }));
      await visible(card("Emergency share").getByText("1 emergency change of 6"));
      await visible(card("Followed by incidents").getByText("1", { exact: true }));

      const outcomes = page.getByRole("table", { name: "Reviewed changes by outcome" });
      const outcome = async (label: string, count: string, share: string) => {
        const row = outcomes.getByRole("row", { name: new RegExp(`^${label}`) });
        await expect.poll(() => row.getByRole("cell").allTextContents()).toEqual([count, share]);
      };
      await outcome("Successful", "2", "50%");
      await outcome("Partially successful", "1", "25%");
      await outcome("Failed", "0", "0%");
      await outcome("Rolled back", "1", "25%");
      const chart = page.getByRole("img", { name: /Changes per month/ });
      await visible(chart);
      await shot("620-change-report");

      // The same figures per month as a table.
      await page.getByRole("button", { name: "Show as table" }).click();
      const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(
        now,
      );
      const row = page
        .getByRole("table", { name: "Changes per month" })
        .getByRole("row", { name: new RegExp(monthName) });
      await expect.poll(() => row.getByRole("cell").allTextContents()).toEqual(["6", "1", "2", "1", "1"]);
      // The header and the three months of the range, the quiet ones with zeros.
      await expect.poll(() => page.getByRole("table", { name: "Changes per month" }).getByRole("row").count()).toBe(4);
      await shot("621-change-report-table");
    });
  });
  it("risk settings save with their version; CAB rules and boards are set up and retired", async () => {
    await withPage("change-settings-cab", async ({ page, shot }) => {
      await logInAsAdmin(page, "/admin/change-settings");
      await visible(page.getByRole("heading", { name: "Change risk and review", level: 1 }));
      const form = page.getByRole("form", { name: "Change settings" });
      const questions = form.getByTestId("risk-question");
      await expect.poll(() => questions.count()).toBeGreaterThan(0);
      const before = await questions.count();

      // A new question: its id follows the text; moved up one place.
      await form.getByRole("button", { name: "Add question" }).click();
      const n = before + 1;
      await form.getByRole("textbox", { name: `Question ${n}`, exact: true }).fill("Does it touch payment systems?");
      await expect.poll(() => form.getByLabel(`Id, question ${n}`).inputValue()).toBe("does_it_touch_payment_systems");
      await form.getByLabel(`Points for yes, question ${n}`).fill("25");
      await form.getByRole("button", { name: `Move question ${n} up` }).click();
      await expect
        .poll(() => form.getByRole("textbox", { name: `Question ${n - 1}`, exact: true }).inputValue())
        .toBe("Does it touch payment systems?");
      // Thresholds out of order are refused beside the field.
      await form.getByLabel(/^High from/).fill("10");
      await form.getByRole("button", { name: "Save settings" }).click();
      await visible(form.getByText("Must be above medium"));
      await form.getByLabel(/^High from/).fill("45");
      await shot("630-change-settings");
      await form.getByRole("button", { name: "Save settings" }).click();
      await visible(page.getByText("Change settings were saved."));
      const saved = (await api(page, "GET", "/api/v1/change-settings")) as unknown as {
        version: number;
        riskQuestions: { id: string; weight: number }[];
        riskThresholds: { medium: number; high: number; veryHigh: number };
        reviewWindowHours: number;
      };
      expect(saved.riskQuestions[n - 2]).toEqual({
        id: "does_it_touch_payment_systems",
        text: "Does it touch payment systems?",
        weight: 25,
      });
      expect(saved.riskThresholds.high).toBe(45);

      // Someone else saves meanwhile: the stale save is refused and the latest version loads.
      await api(page, "PUT", "/api/v1/change-settings", {
        version: saved.version,
        riskQuestions: saved.riskQuestions,
        riskThresholds: saved.riskThresholds,
        reviewWindowHours: 48,
      });
      await form.getByLabel(/^Review window/).fill("96");
      await form.getByRole("button", { name: "Save settings" }).click();
      await visible(page.getByText("This change configuration was changed by someone else"));
      await expect.poll(() => form.getByLabel(/^Review window/).inputValue()).toBe("48 hours");
      await form.getByLabel(/^Review window/).fill("96");
      await form.getByRole("button", { name: "Save settings" }).click();
      await expect
        .poll(
          async () =>
            ((await api(page, "GET", "/api/v1/change-settings")) as unknown as { reviewWindowHours: number })
              .reviewWindowHours,
        )
        .toBe(96);

      // A CAB rule for high-risk normal and emergency changes: at least one approval.
      await api(page, "POST", "/api/v1/groups", { name: `Database team ${tag}` });
      await page.goto("/admin/change-cab");
      await visible(page.getByRole("heading", { name: "CAB", level: 1 }));
      await page.getByRole("button", { name: "New approver set" }).click();
      const set = page.getByRole("dialog", { name: "New approver set" });
      await set.getByLabel(/^Name/).fill(`High-risk CAB ${tag}`);
      await set.getByRole("checkbox", { name: "Emergency" }).check();
      await set.getByRole("checkbox", { name: "High", exact: true }).check();
      await set.getByRole("checkbox", { name: "Very high" }).check();
      await set.getByRole("button", { name: "Create approver set" }).click();
      await visible(set.getByText("Name at least one approving agent or group"));
      const agents = set.getByRole("combobox", { name: /^Approving agents/ });
      await agents.click();
      await agents.fill("Admin");
      await page.getByRole("option", { name: "Administrator" }).click();
      await choose(page, set, /^Approving groups/, `Database team ${tag}`);
      await choose(page, set, /^Approval rule/, "At least N");
      await set.getByLabel(/^Approvals needed/).fill("1");
      await shot("631-cab-approver-set");
      await set.getByRole("button", { name: "Create approver set" }).click();
      await hidden(set);
      const setRow = page
        .getByRole("table", { name: "Approver sets" })
        .getByRole("row")
        .filter({ hasText: `High-risk CAB ${tag}` });
      await visible(setRow.getByText("At least 1 approve"));
      await visible(setRow.getByText("Very high risk"));
      await visible(setRow.getByText(`Administrator, Database team ${tag} (group)`));

      // Retired: inactive, kept for the record.
      await setRow.getByRole("button", { name: `High-risk CAB ${tag}` }).click();
      const edit = page.getByRole("dialog", { name: `Edit High-risk CAB ${tag}` });
      await edit.getByRole("switch", { name: /^Active/ }).focus();
      await page.keyboard.press("Space");
      await visible(edit.getByText("Not applied to new changes"));
      await edit.getByRole("button", { name: "Save" }).click();
      await hidden(edit);
      await visible(setRow.getByText("Inactive"));
      const sets = (await api(page, "GET", "/api/v1/change-approver-sets")).items as unknown as {
        name: string;
        active: boolean;
        rule: string;
        atLeast: number;
        riskLevels: string[];
        types: string[];
      }[];
      expect(sets.find((x) => x.name === `High-risk CAB ${tag}`)).toMatchObject({
        active: false,
        rule: "at_least",
        atLeast: 1,
        riskLevels: ["high", "very_high"],
        types: ["normal", "emergency"],
      });

      // A saved board: created, then deleted after a confirmation.
      await page.getByRole("button", { name: "New CAB template" }).click();
      const board = page.getByRole("dialog", { name: "New CAB template" });
      await board.getByLabel(/^Name/).fill(`Storage board ${tag}`);
      await choose(page, board, /^Approving groups/, `Database team ${tag}`);
      await board.getByRole("button", { name: "Create CAB template" }).click();
      await hidden(board);
      const boards = page.getByRole("table", { name: "CAB templates" });
      const boardRow = boards.getByRole("row").filter({ hasText: `Storage board ${tag}` });
      await visible(boardRow.getByText("A majority approves"));
      await shot("632-cab");
      await boardRow.getByRole("button", { name: `Delete Storage board ${tag}` }).click();
      await page
        .getByRole("dialog", { name: "Delete the CAB template?" })
        .getByRole("button", { name: "Delete" })
        .click();
      await expect.poll(() => boardRow.count()).toBe(0);
    });
  });
});
