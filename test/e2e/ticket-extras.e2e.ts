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

interface TicketJson {
  id: string;
  number: string;
  version: number;
  customFields: Record<string, unknown>;
  watcherIds: string[];
  mergedIntoId: string | null;
}

/** Opens a Mantine select by its label (typing `search` first, if given) and picks an option. */
async function choose(
  page: Page,
  scope: Page | Locator,
  label: string | RegExp,
  option: string | RegExp,
  search?: string,
) {
  const box = scope.getByRole("combobox", { name: label });
  await box.click();
  if (search) await box.fill(search);
  await page.getByRole("option", { name: option }).click();
}

/** JSON calls with the admin's session and CSRF token, for the data the test starts from. */
function api(page: Page, csrf: string) {
  const headers = { "X-CSRF-Token": csrf };
  return {
    get: async <T>(url: string): Promise<T> => {
      const res = await page.request.get(url);
      expect(res.status(), `${url}: ${await res.text()}`).toBe(200);
      return (await res.json()) as T;
    },
    post: async <T>(url: string, data: unknown): Promise<T> => {
      const res = await page.request.post(url, { headers, data });
      expect(res.status(), `${url}: ${await res.text()}`).toBe(201);
      return (await res.json()) as T;
    },
  };
}

describe("the ticket page's extras", () => {
  it("edits custom fields and watchers, attaches files, links two tickets and merges one into the other", async () => {
    await withPage("ticket-extras", async ({ page, context, shot: fullPage }) => {
      // Full-page pictures of a scrolled page misplace fixed elements (overlays, the skip link).
      const shot = async (name: string) => {
        await page.evaluate(() => window.scrollTo(0, 0));
        await fullPage(name);
      };
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const csrf = (await context.cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
      const call = api(page, csrf);
      const me = await call.get<{ id: string }>("/api/v1/me");
      const suffix = Date.now().toString(36);

      // An admin defined two incident fields; another agent exists to watch tickets.
      await call.post("/api/v1/custom-fields", {
        ticketType: "incident",
        key: "asset_tag",
        label: "Asset tag",
        kind: "text",
        required: true,
        position: 1,
      });
      await call.post("/api/v1/custom-fields", {
        ticketType: "incident",
        key: "site",
        label: "Affected site",
        kind: "select",
        options: ["Berlin", "Paris", "Remote"],
        position: 2,
      });
      await call.post("/api/v1/users", {
        name: "Wendy Watcher",
        email: `wendy.${suffix}@example.com`,
        kind: "agent",
        password: "wendy-password-2024",
      });

      // The create form marks the required field and shows the server's message beside it.
      await page.reload();
      await visible(page.getByRole("heading", { name: "Tickets", level: 1 }));
      await visible(page.getByText("Nothing in “My open tickets”."));
      await page.keyboard.press("c");
      const form = page.getByRole("dialog", { name: "New ticket" });
      await visible(form.getByRole("group", { name: "Custom fields" }));
      const title = `VPN drops every hour ${suffix}`;
      await form.getByLabel(/^Title/).fill(title);
      await form.getByRole("button", { name: "Create ticket" }).click();
      const assetTag = form.getByRole("textbox", { name: /^Asset tag/ });
      await expect.poll(() => assetTag.getAttribute("aria-invalid")).toBe("true");
      await visible(form.getByText("Required", { exact: true }));
      await shot("120-create-required-custom-field");
      await assetTag.fill("LAP-0042");
      await form.getByRole("button", { name: "Create ticket" }).click();
      await hidden(form);
      await page.waitForURL((url) => url.pathname.startsWith("/tickets/"));
      await visible(page.getByRole("heading", { name: title, level: 1 }));
      const aId = new URL(page.url()).pathname.split("/").pop() ?? "";
      const a = await call.get<TicketJson>(`/api/v1/tickets/${aId}`);
      expect(a.customFields).toEqual({ asset_tag: "LAP-0042" });

      // Custom fields in the side panel: a choice saves at once, text when the field is left.
      const details = page.getByRole("region", { name: "Details" });
      await choose(page, details, /^Affected site/, "Paris");
      await expect
        .poll(async () => (await call.get<TicketJson>(`/api/v1/tickets/${aId}`)).customFields.site)
        .toBe("Paris");
      await details.getByRole("textbox", { name: /^Asset tag/ }).fill("LAP-0043");
      await details.getByRole("textbox", { name: /^Asset tag/ }).press("Tab");
      await expect
        .poll(async () => (await call.get<TicketJson>(`/api/v1/tickets/${aId}`)).customFields)
        .toEqual({ asset_tag: "LAP-0043", site: "Paris" });
      // Emptying a required field is refused, and says so beside it.
      await details.getByRole("textbox", { name: /^Asset tag/ }).fill("");
      await details.getByRole("textbox", { name: /^Asset tag/ }).press("Enter");
      await visible(details.getByText("Required", { exact: true }));
      await page.reload();
      await expect.poll(() => details.getByRole("textbox", { name: /^Asset tag/ }).inputValue()).toBe("LAP-0043");
      expect(await details.getByRole("combobox", { name: /^Affected site/ }).inputValue()).toBe("Paris");

      // Watchers: watch it myself, add and remove a colleague, stop watching.
      const watchers = page.getByRole("region", { name: "Watchers" });
      await visible(watchers.getByText("Nobody is watching this ticket."));
      await watchers.getByRole("button", { name: "Watch" }).click();
      await visible(watchers.getByRole("listitem").filter({ hasText: "Administrator (you)" }));
      await visible(watchers.getByRole("button", { name: "Stop watching" }));
      await choose(page, watchers, "Add a watcher", "Wendy Watcher", "Wendy");
      await visible(watchers.getByRole("listitem").filter({ hasText: "Wendy Watcher" }));
      expect(await watchers.getByRole("combobox", { name: "Add a watcher" }).inputValue()).toBe("");
      await shot("121-watchers");
      const wendyId = (await call.get<TicketJson>(`/api/v1/tickets/${aId}`)).watcherIds.find((w) => w !== me.id);
      expect(wendyId).toBeTruthy();
      await watchers.getByRole("button", { name: "Remove Wendy Watcher from watchers" }).click();
      await hidden(watchers.getByRole("listitem").filter({ hasText: "Wendy Watcher" }));
      await expect.poll(async () => (await call.get<TicketJson>(`/api/v1/tickets/${aId}`)).watcherIds).toEqual([me.id]);
      await watchers.getByRole("button", { name: "Stop watching" }).click();
      await visible(watchers.getByText("Nobody is watching this ticket."));
      await watchers.getByRole("button", { name: "Watch" }).click();
      await visible(watchers.getByRole("button", { name: "Stop watching" }));

      // Attachments: a file over the limit is refused before anything is sent.
      const uploads: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && r.url().endsWith("/attachments")) uploads.push(r.url());
      });
      const files = page.getByRole("region", { name: "Attachments" });
      const input = files.getByLabel("File to attach");
      await input.setInputFiles({
        name: "huge-dump.bin",
        mimeType: "application/octet-stream",
        buffer: Buffer.alloc(11 * 1024 * 1024, 1),
      });
      await visible(files.getByRole("alert").filter({ hasText: "huge-dump.bin is too large (11 MB)" }));
      expect(uploads).toEqual([]);
      // One the server refuses (a name over 255 characters): its problem details show.
      const longName = `${"very-long-name-".repeat(20)}.txt`;
      await input.setInputFiles({ name: longName, mimeType: "text/plain", buffer: Buffer.from("x") });
      const refused = files.getByRole("alert").filter({ hasText: `${longName} was not attached.` });
      await visible(refused);
      expect(await refused.textContent()).toMatch(/filename: .*255/);

      const log = "2024-05-01 10:00 tunnel reset by peer\n";
      await input.setInputFiles({ name: "vpn-client.log", mimeType: "text/plain", buffer: Buffer.from(log) });
      const logLink = files.getByRole("link", { name: "vpn-client.log" });
      await visible(logLink);
      await hidden(files.getByRole("alert"));
      await files.getByRole("checkbox", { name: "Internal" }).check();
      await input.setInputFiles({
        name: "firewall rules.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("deny all"),
      });
      const internalRow = files.getByRole("listitem").filter({ hasText: "firewall rules.txt" });
      await visible(internalRow.getByText("Internal"));
      await visible(
        files
          .getByRole("listitem")
          .filter({ hasText: "vpn-client.log" })
          .getByText(/^38 B · Administrator ·/),
      );
      expect(uploads).toHaveLength(3);
      await shot("122-attachments");

      // The link downloads the file (never inline).
      const [download] = await Promise.all([page.waitForEvent("download"), logLink.click()]);
      expect(download.suggestedFilename()).toBe("vpn-client.log");
      const href = (await logLink.getAttribute("href")) ?? "";
      const fetched = await page.request.get(href);
      expect(fetched.status()).toBe(200);
      expect(fetched.headers()["content-disposition"]).toMatch(/^attachment; filename="vpn-client.log"/);
      expect(await fetched.text()).toBe(log);

      // A second ticket, with a note of its own, to link and then merge.
      const b = await call.post<TicketJson>("/api/v1/tickets", {
        type: "incident",
        title: `Remote users cannot connect ${suffix}`,
        impact: 2,
        urgency: 2,
        customFields: { asset_tag: "LAP-0099" },
      });
      await call.post(`/api/v1/tickets/${b.id}/articles`, {
        kind: "note",
        body: "<p>Seen on the Paris gateway too.</p>",
      });

      // Link them from A; the link shows on both tickets.
      const links = page.getByRole("region", { name: "Linked tickets" });
      await visible(links.getByText("No linked tickets."));
      await links.getByRole("button", { name: "Link a ticket" }).click();
      const linkDialog = page.getByRole("dialog", { name: "Link a ticket" });
      await choose(page, linkDialog, new RegExp(`^${a.number} is`), "Related to");
      await choose(page, linkDialog, /^Ticket/, new RegExp(`Remote users cannot connect ${suffix}`), b.number);
      await shot("123-link-dialog");
      await linkDialog.getByRole("button", { name: "Add link" }).click();
      await hidden(linkDialog);
      const toB = links.getByRole("listitem").filter({ hasText: b.number });
      await visible(toB.getByText("Related to"));
      await toB.getByRole("link", { name: b.number }).click();
      await page.waitForURL((url) => url.pathname === `/tickets/${b.id}`);
      await visible(page.getByRole("heading", { name: `Remote users cannot connect ${suffix}`, level: 1 }));
      await visible(links.getByRole("listitem").filter({ hasText: a.number }).getByText("Related to"));
      await shot("124-ticket-b-linked");

      // Merge B into A: the dialog says what happens; we land on A with B's note there.
      await page.getByRole("button", { name: "Merge into…" }).click();
      const mergeDialog = page.getByRole("dialog", { name: `Merge ${b.number} into another ticket` });
      await choose(page, mergeDialog, /^Merge into/, new RegExp(title), a.number);
      await visible(mergeDialog.getByText(`The replies and notes of ${b.number} move to ${a.number}.`));
      await shot("125-merge-dialog");
      await mergeDialog.getByRole("button", { name: `Merge into ${a.number}` }).click();
      await page.waitForURL((url) => url.pathname === `/tickets/${aId}`);
      await visible(page.getByRole("heading", { name: title, level: 1 }));
      await visible(
        page
          .getByRole("article", { name: "Internal note from Administrator" })
          .getByText("Seen on the Paris gateway too."),
      );
      await visible(page.getByText(`${b.number} was merged into this ticket (1 entry moved)`));
      await visible(links.getByRole("listitem").filter({ hasText: "Duplicated by" }).getByText(b.number));
      await shot("126-merge-target");

      // B is read-only now and says where it went.
      await page.goto(`/tickets/${b.id}`);
      const banner = page.getByTestId("merged-banner");
      await visible(banner.getByText("This ticket was merged"));
      await banner.getByRole("link", { name: a.number }).waitFor();
      await hidden(page.getByRole("button", { name: "Merge into…" }));
      await hidden(page.getByRole("button", { name: "Attach a file" }));
      expect(await page.getByRole("textbox", { name: "Reply" }).count()).toBe(0);
      expect(await page.getByRole("combobox", { name: /^Affected site/ }).isDisabled()).toBe(true);
      await shot("127-merged-source");
      expect((await call.get<TicketJson>(`/api/v1/tickets/${b.id}`)).mergedIntoId).toBe(aId);
      await banner.getByRole("link", { name: a.number }).click();
      await page.waitForURL((url) => url.pathname === `/tickets/${aId}`);
    });
  }, 120_000);
});
