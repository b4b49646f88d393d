import type { Browser, Page } from "playwright-core";
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
/** Only this run's tickets: their titles share a word the search finds. */
const LIST = `/tickets?q=wl${tag}&assigneeId=none&stateType=new,open,pending,resolved`;

interface Made {
  id: string;
  number: string;
  title: string;
}

/** The admin's API session (with its CSRF token), for making data the test then works on. */
async function api(opened: OpenedPage) {
  const csrf = (await opened.context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const send = async (method: "post" | "put", url: string, data: unknown, status = 201) => {
    const res = await opened.page.request[method](url, { headers: { "X-CSRF-Token": csrf }, data });
    expect(res.status(), `${url}: ${await res.text()}`).toBe(status);
    return res.json();
  };
  const ticket = async (title: string, impact: number, urgency: number): Promise<Made> =>
    send("post", "/api/v1/tickets", { type: "incident", title: `${title} wl${tag}`, impact, urgency });
  return { send, ticket };
}

/** The titles of the rows, top to bottom. */
const titles = (page: Page) => page.locator("tr[data-ticket-id] a[data-row-link]").allTextContents();
const row = (page: Page, title: string) => page.getByRole("row").filter({ hasText: title });
const views = (page: Page) => page.getByRole("navigation", { name: "Views" });
/** The views in the bar, in order, by name (their accessible names end in the count). */
const viewNames = (page: Page) =>
  views(page)
    .getByTestId("saved-view")
    .evaluateAll((buttons) =>
      buttons.map((b) => (b.getAttribute("aria-label") ?? "").replace(/, [\d+]+ tickets$/, "")),
    );
/** A row's state badge as shown (a phone layout copy sits hidden in the title cell). */
const stateOf = (page: Page, title: string, text: string) => row(page, title).getByText(text).filter({ visible: true });

describe("the agent work list", () => {
  const made: Record<string, Made> = {};

  it("sorts by priority from the column header, in both directions, and keeps the order in the URL", async () => {
    await withPage("work-list-sort", async (opened) => {
      const { page, shot } = opened;
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const { ticket } = await api(opened);
      made.p3 = await ticket("Slow VPN", 2, 2);
      made.p1 = await ticket("Core switch down", 1, 1);
      made.p4 = await ticket("Typo on intranet", 3, 3);
      made.p2 = await ticket("Mail delayed", 1, 2);
      const byPriority = [made.p1, made.p2, made.p3, made.p4].map((t) => t?.title);

      await page.goto(LIST);
      // Newest first by default.
      await expect.poll(() => titles(page)).toEqual([made.p2, made.p4, made.p1, made.p3].map((t) => t?.title));
      const header = page.getByRole("columnheader", { name: /^Priority/ });
      expect(await header.getAttribute("aria-sort")).toBeNull();

      await header.getByRole("button").click();
      await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending");
      await expect.poll(() => titles(page)).toEqual(byPriority);
      expect(new URL(page.url()).searchParams.get("sort")).toBe("priority");
      await expect.poll(() => page.getByRole("combobox", { name: "Sort" }).inputValue()).toBe("Most urgent first");
      await shot("100-work-list-priority");

      await header.getByRole("button").click();
      await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
      await expect.poll(() => titles(page)).toEqual([...byPriority].reverse());

      // The order survives a reload (it is in the URL); the sort menu offers the other orders.
      await page.reload();
      await expect.poll(() => titles(page)).toEqual([...byPriority].reverse());
      await page.getByRole("combobox", { name: "Sort" }).click();
      await page.getByRole("option", { name: "Oldest first" }).click();
      await expect.poll(() => titles(page)).toEqual([made.p3, made.p1, made.p4, made.p2].map((t) => t?.title));
      await expect
        .poll(() => page.getByRole("columnheader", { name: /^Created/ }).getAttribute("aria-sort"))
        .toBe("ascending");
    });
  });

  it("assigns three selected tickets to a group at once and reports on each", async () => {
    await withPage("work-list-bulk-assign", async (opened) => {
      const { page, shot } = opened;
      await logInAt(page, LIST, server.adminEmail, server.adminPassword);
      const group = await (await api(opened)).send("post", "/api/v1/groups", { name: `Network ${tag}` });
      await page.reload();
      await visible(row(page, made.p1?.title ?? ""));

      await page.getByRole("checkbox", { name: `Select ${made.p1?.number}` }).check();
      await page.getByRole("checkbox", { name: `Select ${made.p2?.number}` }).check();
      // x on a focused row selects it too.
      await row(page, made.p3?.title ?? "")
        .getByRole("link")
        .focus();
      await page.keyboard.press("x");
      const bar = page.getByRole("region", { name: "Bulk actions" });
      await visible(bar.getByText("3 selected"));
      await expect
        .poll(() => page.getByRole("checkbox", { name: "Select all tickets on this page" }).isChecked())
        .toBe(false);
      await shot("101-work-list-selected");

      await bar.getByRole("button", { name: "Assign" }).click();
      const dialog = page.getByRole("dialog", { name: "Assign tickets" });
      await dialog.getByRole("button", { name: "Assign 3 tickets" }).click();
      await visible(dialog.getByText("Choose a group, an assignee or both"));
      await dialog.getByRole("combobox", { name: "Group" }).click();
      await page.getByRole("option", { name: `Network ${tag}` }).click();
      await dialog.getByRole("button", { name: "Assign 3 tickets" }).click();
      await hidden(dialog);

      const summary = page.getByTestId("bulk-summary");
      await visible(summary.getByText("3 updated", { exact: true }));
      await hidden(bar);
      for (const t of [made.p1, made.p2, made.p3]) await visible(row(page, t?.title ?? "").getByText(`Network ${tag}`));
      await expect
        .poll(() =>
          row(page, made.p4?.title ?? "")
            .getByText(`Network ${tag}`)
            .count(),
        )
        .toBe(0);
      await shot("102-work-list-bulk-assigned");
      expect(group.id).toBeTruthy();
    });
  });

  it("puts tickets on hold in bulk, asking for the reason, and lists the one that could not move", async () => {
    await withPage("work-list-bulk-transition", async (opened) => {
      const { page, shot } = opened;
      await logInAt(page, LIST, server.adminEmail, server.adminPassword);
      // One ticket is resolved already: it cannot go on hold.
      await (await api(opened)).send(
        "post",
        `/api/v1/tickets/${made.p4?.id}/transitions`,
        { to: "resolved", resolutionCode: "solved", resolution: "Fixed the typo." },
        200,
      );
      await page.reload();
      await visible(stateOf(page, made.p4?.title ?? "", "Resolved"));

      await page.getByRole("checkbox", { name: "Select all tickets on this page" }).check();
      const bar = page.getByRole("region", { name: "Bulk actions" });
      await visible(bar.getByText("4 selected"));
      await bar.getByRole("button", { name: "Change state" }).click();
      const dialog = page.getByRole("dialog", { name: "Change state" });
      await dialog.getByRole("combobox", { name: /^New state/ }).click();
      await page.getByRole("option", { name: "On hold (3 of 4)" }).click();
      await visible(dialog.getByText("1 selected ticket cannot make this move"));
      await dialog.getByRole("button", { name: "Move to on hold" }).click();
      await visible(dialog.getByText("Required"));
      await shot("103-work-list-bulk-state");
      await dialog.getByRole("combobox", { name: /^Reason/ }).click();
      await page.getByRole("option", { name: "Awaiting vendor" }).click();
      await dialog.getByRole("button", { name: "Move to on hold" }).click();
      await hidden(dialog);

      const summary = page.getByTestId("bulk-summary");
      await visible(summary.getByText("3 updated, 1 failed"));
      await visible(summary.getByRole("listitem").filter({ hasText: made.p4?.number ?? "" }));
      for (const t of [made.p1, made.p2, made.p3]) {
        await visible(stateOf(page, t?.title ?? "", "On hold (awaiting vendor)"));
      }
      // What failed stays selected, to try something else.
      await visible(bar.getByText("1 selected"));
      await shot("104-work-list-bulk-summary");
      await summary.getByRole("button", { name: "Dismiss the summary" }).click();
      await hidden(summary);
    });
  });

  it("renames a personal view, moves it up, keeps its sort, and the order holds after a reload", async () => {
    await withPage("work-list-views", async (opened) => {
      const { page, shot } = opened;
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const view = await (await api(opened)).send("post", "/api/v1/views", {
        name: `Network queue ${tag}`,
        filters: { q: `wl${tag}`, stateType: ["new", "open", "pending"] },
      });
      await page.reload();
      await visible(views(page).getByRole("button", { name: new RegExp(`^Network queue ${tag},`) }));
      const before = await viewNames(page);
      expect(before.at(-1)).toBe(`Network queue ${tag}`);

      await views(page)
        .getByRole("button", { name: new RegExp(`^Network queue ${tag},`) })
        .click();
      const menu = views(page).getByRole("button", { name: `Options for the view “Network queue ${tag}”` });
      await menu.click();
      await page.getByRole("menuitem", { name: "Rename…" }).click();
      const dialog = page.getByRole("dialog", { name: "Rename view" });
      await dialog.getByLabel(/^Name/).fill(`Waiting on vendors ${tag}`);
      await dialog.getByRole("button", { name: "Rename" }).click();
      await hidden(dialog);
      const renamed = views(page).getByRole("button", { name: new RegExp(`^Waiting on vendors ${tag}, 3 tickets$`) });
      await expect.poll(() => renamed.getAttribute("aria-current")).toBe("true");

      // Move it up (left in the bar) twice: the menu stays open between moves.
      await views(page)
        .getByRole("button", { name: `Options for the view “Waiting on vendors ${tag}”` })
        .click();
      await page.getByRole("menuitem", { name: "Move left" }).click();
      await page.getByRole("menuitem", { name: "Move left" }).click();
      await page.keyboard.press("Escape");
      const expected = [...before.slice(0, -1)];
      expected.splice(before.length - 3, 0, `Waiting on vendors ${tag}`);
      await expect.poll(() => viewNames(page)).toEqual(expected);

      // The view keeps a sort: sort by priority, then update the view with it.
      await page
        .getByRole("columnheader", { name: /^Priority/ })
        .getByRole("button")
        .click();
      await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("priority");
      await views(page)
        .getByRole("button", { name: `Options for the view “Waiting on vendors ${tag}”` })
        .click();
      await page.getByRole("menuitem", { name: "Update with current filters" }).click();
      await visible(page.getByText(`“Waiting on vendors ${tag}” now shows the current filters.`));
      await shot("105-work-list-views");

      await page.reload();
      await expect.poll(() => viewNames(page)).toEqual(expected);
      await views(page)
        .getByRole("button", { name: /^My open tickets,/ })
        .click();
      await expect.poll(() => page.getByRole("combobox", { name: "Sort" }).inputValue()).toBe("Newest first");
      await renamed.click();
      await expect.poll(() => page.getByRole("combobox", { name: "Sort" }).inputValue()).toBe("Most urgent first");
      await expect.poll(() => titles(page)).toEqual([made.p1, made.p2, made.p3].map((t) => t?.title));
      expect(view.id).toBeTruthy();
    });
  });

  it("on a phone, sorts from the folded filters and still selects rows for bulk actions", async () => {
    await withPage(
      "work-list-phone",
      async ({ page, shot }) => {
        await logInAt(page, LIST, server.adminEmail, server.adminPassword);
        await page.getByRole("button", { name: /^Filters/ }).click();
        await page.getByRole("combobox", { name: "Sort" }).click();
        await page.getByRole("option", { name: "Most urgent first" }).click();
        await expect.poll(() => titles(page)).toEqual([made.p1, made.p2, made.p3, made.p4].map((t) => t?.title));
        await page.getByRole("checkbox", { name: `Select ${made.p1?.number}` }).check();
        const bar = page.getByRole("region", { name: "Bulk actions" });
        await visible(bar.getByText("1 selected"));
        await visible(bar.getByRole("button", { name: "Change state" }));
        await shot("106-work-list-phone");
      },
      { width: 390, height: 844 },
    );
  });

  it("merges selected tickets into another one found by its number", async () => {
    await withPage("work-list-bulk-merge", async ({ page, shot }) => {
      await logInAt(page, LIST, server.adminEmail, server.adminPassword);
      await page.getByRole("checkbox", { name: `Select ${made.p2?.number}` }).check();
      await page.getByRole("checkbox", { name: `Select ${made.p3?.number}` }).check();
      const bar = page.getByRole("region", { name: "Bulk actions" });
      await bar.getByRole("button", { name: "Merge" }).click();
      const dialog = page.getByRole("dialog", { name: "Merge tickets" });
      await dialog.getByRole("button", { name: "Merge" }).click();
      await visible(dialog.getByText("Choose the ticket to merge into"));
      await dialog.getByRole("combobox", { name: /^Merge into/ }).fill(made.p1?.number ?? "");
      await page.getByRole("option", { name: new RegExp(`^${made.p1?.number}`) }).click();
      await visible(dialog.getByText(`become read-only and point to ${made.p1?.number}`));
      await shot("107-work-list-merge");
      await dialog.getByRole("button", { name: "Merge 2 tickets" }).click();
      await hidden(dialog);
      await visible(page.getByTestId("bulk-summary").getByText("2 merged", { exact: true }));
    });
  });
});
