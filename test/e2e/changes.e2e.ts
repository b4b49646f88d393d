import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hidden, launchBrowser, logInAt, logOut, type OpenedPage, runInPage, visible } from "./support/browser.ts";
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

// biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely here and checked field by field.
type Json = any;

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "GET" | "POST" | "PATCH" | "PUT", url: string, data?: unknown): Promise<Json> {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json();
}

/** Opens a Mantine select by its accessible name and picks an option. */
async function choose(page: Page, scope: Page | Locator, label: RegExp | string, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).first().click();
}

/** Types into a server-searched picker and picks the option that appears. */
async function search(page: Page, scope: Page | Locator, label: RegExp | string, text: string, option: RegExp) {
  const box = scope.getByRole("combobox", { name: label });
  await box.click();
  await box.fill(text);
  await page.getByRole("option", { name: option }).first().click();
}

const stateOf = (page: Page) => page.getByTestId("change-state").first();

async function expectState(page: Page, label: string) {
  await expect.poll(() => stateOf(page).textContent()).toBe(label);
}

describe("change management", () => {
  const tag = Date.now().toString(36);
  const title = `Patch the billing database ${tag}`;
  const approver = { name: `Alex Approver ${tag}`, email: `alex.${tag}@example.com`, password: "alex-password-2024" };
  const workOrder = `Fail over and patch ${tag}`;
  // A winter date a year ahead: Berlin is on +01:00 then, whatever today is.
  const year = new Date().getFullYear() + 1;

  it("takes a normal change from draft to closed through the CAB, work orders and the review", async () => {
    await withPage("changes", async ({ page, shot }) => {
      await logInAt(page, "/changes", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "Changes", level: 1 }));

      // What the change screens do not own: a database server a business service depends on, an incident on it,
      // a second agent, and a CAB rule naming both agents.
      const me = await api(page, "GET", "/api/v1/me");
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as Json[];
      const classId = (code: string) => classes.find((c) => c.code === code)?.id;
      const criticality = (await api(page, "GET", "/api/v1/cmdb/catalog/criticality")).items[0];
      const db = await api(page, "POST", "/api/v1/cmdb/cis", { classId: classId("server"), name: `billing-db-${tag}` });
      const service = await api(page, "POST", "/api/v1/cmdb/cis", {
        classId: classId("business_service"),
        name: `Billing ${tag}`,
        attributes: { criticality: criticality.id },
      });
      await api(page, "POST", "/api/v1/cmdb/relations", { sourceId: service.id, targetId: db.id, type: "depends_on" });
      const incident = await api(page, "POST", "/api/v1/tickets", {
        type: "incident",
        title: `Invoices time out ${tag}`,
        impact: 2,
        urgency: 2,
      });
      const alex = await api(page, "POST", "/api/v1/users", { ...approver, kind: "agent" });
      await api(page, "POST", "/api/v1/change-approver-sets", {
        name: `Database CAB ${tag}`,
        userIds: [me.id, alex.id],
        rule: "any",
      });
      const settings = await api(page, "GET", "/api/v1/change-settings");
      const questions = settings.riskQuestions as { id: string; text: string }[];
      expect(questions.length).toBeGreaterThan(1);
      const [yesQuestion] = questions as [{ id: string; text: string }];

      // The form: the eight questions, with impact and risk worked out while the CI and answers are picked.
      await page.getByRole("link", { name: "New change" }).click();
      await page.waitForURL((url) => url.pathname === "/changes/new");
      const form = page.getByRole("form", { name: "New change" });
      await visible(form.getByRole("heading", { name: "What changes" }));
      await form.getByLabel(/^Title/).fill(title);
      await form.getByLabel("Description").fill("Apply the vendor's security patch to the billing database.");
      await choose(page, form, "Category", "Database");
      await form.getByLabel("Justification").fill("The patch closes a remotely exploitable hole.");
      await search(page, form, "Link an incident or problem", incident.number, new RegExp(incident.number));
      await visible(form.getByRole("list", { name: "Linked tickets" }).getByRole("link", { name: incident.title }));
      await expect.poll(() => form.getByRole("combobox", { name: /^Owner/ }).inputValue()).toBe("Administrator");
      await expect.poll(() => form.getByRole("combobox", { name: /^Requested by/ }).inputValue()).toBe("Administrator");

      const assessment = page.getByRole("region", { name: "Impact and risk" });
      await visible(assessment.getByText("Nothing adds to the risk yet."));
      await search(page, form, /^Affected CIs and services/, `billing-db-${tag}`, new RegExp(`billing-db-${tag}`));
      await page.keyboard.press("Escape");
      const services = assessment.getByRole("list", { name: "Business services hit" });
      await visible(services.getByRole("link", { name: `Billing ${tag}` }));
      await expect
        .poll(async () => Number(await assessment.getByTestId("cis-reached").textContent()))
        .toBeGreaterThan(0);

      const impacts = form.getByRole("region", { name: "What it impacts" });
      await impacts.getByText("Partial", { exact: true }).click();
      await impacts.getByLabel("Outage minutes").fill("30");
      await form.getByLabel("Planned start").fill(`${year}-01-15T22:00`);
      await form.getByLabel("Planned end").fill(`${year}-01-15T23:30`);
      await form.getByLabel("Implementation plan").fill("Fail over to the replica, patch, fail back.");
      await form.getByLabel("Test plan").fill("Run the invoice smoke test.");
      // The rollback plan is left out: leaving draft asks for it.

      await visible(assessment.getByText(/risk questions are not answered yet/));
      for (const q of questions) {
        await form
          .getByRole("radiogroup", { name: q.text })
          .getByRole("radio", { name: q.id === yesQuestion.id ? "Yes" : "No" })
          .check();
      }
      await hidden(assessment.getByText(/not answered yet/));
      await visible(assessment.getByRole("list", { name: "Risk reasons" }).getByText(yesQuestion.text));
      await visible(assessment.getByTestId("risk-badge"));
      await shot("200-change-new-form");

      await form.getByRole("button", { name: "Create change" }).click();
      await page.waitForURL((url) => /^\/changes\/[0-9a-f-]{36}$/.test(url.pathname));
      const changeId = new URL(page.url()).pathname.split("/").pop() as string;
      await visible(page.getByRole("heading", { name: title, level: 1 }));
      await expectState(page, "Draft");
      const created = await api(page, "GET", `/api/v1/changes/${changeId}`);
      expect(created).toMatchObject({
        type: "normal",
        ciIds: [db.id],
        ticketIds: [incident.id],
        ownerId: me.id,
        requestedById: me.id,
        outage: { kind: "partial", minutes: 30 },
        plannedStart: `${year}-01-15T21:00:00.000Z`,
        plannedEnd: `${year}-01-15T22:30:00.000Z`,
      });
      expect(created.riskAnswers[yesQuestion.id]).toBe(true);
      await visible(
        page.getByRole("region", { name: "Linked incidents and problems" }).getByRole("link", { name: incident.title }),
      );

      // Leaving draft without a rollback plan is refused, and says which answer is missing.
      await page.getByRole("button", { name: "Submit for assessment" }).click();
      const refusal = page.getByTestId("move-problem");
      await visible(refusal.getByText(/How it is rolled back/));
      await visible(page.getByRole("region", { name: "How it is rolled back" }).getByText("Needs an answer"));
      await shot("201-change-missing-answer");
      await page.getByRole("button", { name: "Edit", exact: true }).click();
      const edit = page.getByRole("dialog", { name: /^Edit CHG-/ });
      await edit.getByRole("textbox", { name: "Rollback plan" }).fill("Fail back to the unpatched replica.");
      await edit.getByRole("button", { name: "Save" }).click();
      await hidden(edit);
      await hidden(refusal);
      await page.getByRole("button", { name: "Submit for assessment" }).click();
      await expectState(page, "Assessment");
      await page.getByRole("button", { name: "Request CAB approval" }).click();
      await expectState(page, "Authorization");

      // The owner is in the CAB rule, yet never decides on their own change.
      const cab = page.getByRole("region", { name: "CAB approval" });
      const set = cab.getByRole("listitem", { name: `Approver set Database CAB ${tag}` });
      await visible(set.getByText("Waiting"));
      await visible(cab.getByText(/never decide on their own change/));
      expect(await page.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
      await shot("202-change-awaiting-cab");
      await logOut(page);

      // The approver finds it in My approvals and approves it there, with a comment.
      await logInAt(page, "/changes/approvals", approver.email, approver.password);
      const card = page.getByRole("article", { name: title });
      await visible(card);
      await card.getByRole("button", { name: "Decide" }).click();
      await visible(card.getByLabel(/^Comment/));
      await card.getByRole("button", { name: "Approve", exact: true }).click();
      await visible(card.getByText("Add a comment: what you checked, or why not"));
      await card.getByLabel(/^Comment/).fill("Patch tested on staging; window agreed with finance.");
      await shot("203-change-my-approvals");
      await card.getByRole("button", { name: "Approve", exact: true }).click();
      await visible(page.getByText("Nothing waits for your decision"));
      await page.goto(`/changes/${changeId}`);
      await expectState(page, "Scheduled");
      const decision = page.getByRole("listitem", { name: `${approver.name}: approved` });
      await visible(decision.getByText("Patch tested on staging; window agreed with finance."));
      await visible(cab.getByRole("listitem", { name: `Approver set Database CAB ${tag}` }).getByText("Approved"));
      await logOut(page);

      // The owner carries it out: implementing, one work order through its flow, review, close.
      await logInAt(page, `/changes/${changeId}`, server.adminEmail, server.adminPassword);
      await page.getByRole("button", { name: "Start implementation" }).click();
      await expectState(page, "Implementing");
      await page.getByRole("button", { name: "Add work order" }).click();
      const add = page.getByRole("form", { name: "Add a work order" });
      await add.getByLabel(/^Title/).fill(workOrder);
      await add.getByLabel("Instructions").fill("Promote the replica, patch the primary, promote it back.");
      await add.getByRole("button", { name: "Add work order" }).click();
      await hidden(add);
      const orders = page.getByRole("list", { name: "Work orders" });
      const orderState = orders.getByRole("listitem", { name: workOrder }).getByTestId("work-order-state");
      await expect.poll(() => orderState.textContent()).toBe("Created");
      await page.getByRole("button", { name: `Ready: ${workOrder}` }).click();
      await page.getByRole("button", { name: `Start: ${workOrder}` }).click();
      await expect.poll(() => orderState.textContent()).toBe("In progress");
      await page.getByRole("button", { name: "Implementation done" }).click();
      await expectState(page, "Review");

      // Closing with a work order still open is refused.
      await page.getByRole("button", { name: "Close", exact: true }).click();
      await visible(page.getByTestId("move-problem").getByText(/work order is still open/));
      await shot("204-change-open-work-order");
      await expectState(page, "Review");
      await page.getByRole("button", { name: `Done: ${workOrder}` }).click();
      await expect.poll(() => orderState.textContent()).toBe("Done");

      const review = page.getByRole("region", { name: "Post-implementation review" });
      await visible(review.getByText("Incidents after the change"));
      await review.getByText("Successful", { exact: true }).click();
      await review.getByLabel("Notes").fill("Patched within the window; no user noticed.");
      await review.getByRole("button", { name: "Save review" }).click();
      await expect.poll(() => review.getByTestId("review-outcome").textContent()).toBe("Successful");
      await page.getByRole("button", { name: "Close", exact: true }).click();
      await expectState(page, "Closed");
      await visible(review.getByText("Patched within the window; no user noticed."));
      expect(await page.getByRole("button", { name: "Edit", exact: true }).count()).toBe(0);
      await shot("205-change-closed");

      const closed = await api(page, "GET", `/api/v1/changes/${changeId}`);
      expect(closed).toMatchObject({ state: "closed", reviewOutcome: "successful" });
      const decisions = (await api(page, "GET", `/api/v1/changes/${changeId}/approvals`)).decisions as Json[];
      expect(decisions.map((d) => [d.approverId, d.decision, d.withdrawn])).toEqual([[alex.id, "approve", false]]);

      // The list finds it by state, and not by another type.
      await page.goto("/changes");
      await choose(page, page, "State", "Closed");
      await page.keyboard.press("Escape");
      const row = page.getByRole("row").filter({ hasText: title });
      await visible(row.getByText("Closed"));
      await visible(row.getByText("Administrator"));
      await shot("206-changes-list");
      await choose(page, page, "Type", "Emergency");
      await visible(page.getByText("No change matches these filters."));
    });
  });
  it("makes a standard change from an approved template, and adds a CAB from a template to a normal change", async () => {
    await withPage("changes-templates", async ({ page, shot }) => {
      await logInAt(page, "/changes", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "Changes", level: 1 }));
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as Json[];
      const web = await api(page, "POST", "/api/v1/cmdb/cis", {
        classId: classes.find((c) => c.code === "server")?.id,
        name: `web-01-${tag}`,
      });
      const template = await api(page, "POST", "/api/v1/change-templates", {
        name: `Restart the web tier ${tag}`,
        title: `Rolling restart of the web tier ${tag}`,
        description: "Restart the web containers one by one.",
        justification: "Picks up the renewed certificates.",
        ciIds: [web.id],
        durationMinutes: 45,
        implementationPlan: "Drain, restart and re-add each node.",
        rollbackPlan: "Start the previous containers again.",
        outage: { kind: "none" },
        workOrders: [{ kind: "implementation", title: `Restart the nodes ${tag}` }],
      });
      await api(page, "POST", `/api/v1/change-templates/${template.id}/approve`);
      const board = await api(page, "POST", "/api/v1/users", {
        name: `Nora Network ${tag}`,
        email: `nora.${tag}@example.com`,
        kind: "agent",
        password: "nora-password-2024",
      });
      await api(page, "POST", "/api/v1/cab-templates", {
        name: `Network CAB ${tag}`,
        userIds: [board.id],
        rule: "all",
      });

      // The template menu opens the form prefilled; the window's end follows its start by the template's duration.
      await page.getByRole("button", { name: "From template" }).click();
      await page.getByRole("menuitem", { name: template.name }).click();
      await page.waitForURL((url) => url.pathname === "/changes/new" && url.search.includes(template.id));
      await visible(page.getByRole("heading", { name: "New standard change", level: 1 }));
      const form = page.getByRole("form", { name: "New change" });
      await expect.poll(() => form.getByLabel(/^Title/).inputValue()).toBe(template.title);
      const rollback = form.getByRole("textbox", { name: "Rollback plan" });
      expect(await rollback.inputValue()).toBe("Start the previous containers again.");
      expect(await rollback.getAttribute("readonly")).not.toBeNull();
      expect(await form.getByRole("radio", { name: "Emergency" }).count()).toBe(0);
      await visible(form.getByText(new RegExp(`web-01-${tag}`)));
      await form.getByLabel("Planned start").fill(`${year}-02-10T06:00`);
      expect(await form.getByLabel("Planned end").inputValue()).toBe(`${year}-02-10T06:45`);
      await shot("207-change-from-template");
      await form.getByRole("button", { name: "Create change" }).click();
      await page.waitForURL((url) => /^\/changes\/[0-9a-f-]{36}$/.test(url.pathname));
      await visible(page.getByRole("heading", { name: template.title, level: 1 }));
      await visible(page.getByRole("region", { name: "CAB approval" }).getByText(/pre-approved/));
      await visible(page.getByRole("list", { name: "Work orders" }).getByText(`Restart the nodes ${tag}`));
      await page.getByRole("button", { name: "Schedule" }).click();
      await expectState(page, "Scheduled");
      const standardId = new URL(page.url()).pathname.split("/").pop() as string;
      expect(await api(page, "GET", `/api/v1/changes/${standardId}`)).toMatchObject({
        type: "standard",
        templateId: template.id,
        ciIds: [web.id],
        plannedStart: `${year}-02-10T05:00:00.000Z`,
        plannedEnd: `${year}-02-10T05:45:00.000Z`,
      });

      // A saved board is added to a normal change while it is drafted, and taken off again.
      const normal = await api(page, "POST", "/api/v1/changes", {
        type: "normal",
        title: `Replace the core router ${tag}`,
      });
      await page.goto(`/changes/${normal.id}`);
      const cab = page.getByRole("region", { name: "CAB approval" });
      await choose(page, cab, "Add CAB from template", `Network CAB ${tag}`);
      await cab.getByRole("button", { name: "Add", exact: true }).click();
      const added = cab.getByRole("listitem", { name: `Approver set Network CAB ${tag}` });
      await visible(added.getByText("This change only"));
      await visible(added.getByText("Everyone approves · 0 of 1 approved"));
      await shot("208-change-cab-from-template");
      await added.getByRole("button", { name: `Remove Network CAB ${tag}` }).click();
      await hidden(added);
      const approvals = await api(page, "GET", `/api/v1/changes/${normal.id}/approvals`);
      expect((approvals.sets as Json[]).some((s) => s.name === `Network CAB ${tag}`)).toBe(false);
    });
  });
});
