import fs from "node:fs";
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

interface Made {
  id: string;
  number: string;
  name: string;
  version: number;
}

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, data?: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === "steward_csrf")?.value ?? "";
  const res = await page.request.fetch(url, { method, headers: { "X-CSRF-Token": csrf }, data });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as Made & { items: Made[] };
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

const ciIdFromUrl = (page: Page) => new URL(page.url()).pathname.split("/").pop() ?? "";

async function newCi(page: Page, className: string, name: string, fill: (form: Locator) => Promise<void>) {
  await page.goto("/cmdb");
  await page.getByRole("button", { name: "New CI" }).click();
  const form = page.getByRole("dialog", { name: "New configuration item" });
  await visible(form);
  await choose(page, form, /^Class/, className);
  await form.getByLabel(/^Name/).fill(name);
  await fill(form);
  return form;
}

describe("the CMDB", () => {
  const tag = Date.now().toString(36);
  const switchName = `core-sw-1-${tag}`;
  const serverName = `app-srv-1-${tag}`;

  it("creates and relates CIs in the UI, keeps versions, draws the graph and shows the switch's impact", async () => {
    await withPage("cmdb", async ({ page, shot }) => {
      await logInAt(page, "/cmdb", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "CMDB", level: 1 }));

      // A network device, with a catalog attribute and a locked one.
      const swForm = await newCi(page, "Network device", switchName, async (form) => {
        await form.getByLabel("Host name", { exact: true }).fill(`${switchName}.example.net`);
        await choose(page, form, /^Manufacturer$/, "Cisco");
        await form.getByLabel("Ports", { exact: true }).fill("48");
        await form.getByRole("button", { name: "Lock Serial number" }).click();
      });
      await shot("150-cmdb-new-ci");
      await swForm.getByRole("button", { name: "Create configuration item" }).click();
      await hidden(swForm);
      await visible(page.getByRole("heading", { name: switchName, level: 1 }));
      const switchId = ciIdFromUrl(page);
      await visible(page.getByText("Cisco"));
      await visible(page.getByLabel("Serial number is locked"));
      await shot("151-cmdb-ci-attributes");

      // A server.
      const srvForm = await newCi(page, "Server", serverName, async (form) => {
        await form.getByLabel("Host name", { exact: true }).fill(`${serverName}.example.net`);
        const ips = form.getByLabel("IP addresses", { exact: true });
        await ips.fill("10.0.0.5");
        await ips.press("Enter");
      });
      await srvForm.getByRole("button", { name: "Create configuration item" }).click();
      await hidden(srvForm);
      await visible(page.getByRole("heading", { name: serverName, level: 1 }));
      const serverId = ciIdFromUrl(page);
      expect(serverId).not.toBe(switchId);

      // The server depends on the switch.
      await page.getByRole("tab", { name: "Relations" }).click();
      const add = page.getByRole("form", { name: "Add a relation" });
      await choose(page, add, /^Relation/, "depends on");
      await search(page, add, /^Other CI/, "core-sw-1", new RegExp(switchName));
      await visible(add.getByText(`${serverName} depends on ${switchName}`));
      await add.getByRole("button", { name: "Add relation" }).click();
      const relations = page.getByRole("list", { name: "Relations" });
      await visible(relations.getByText("depends on"));
      await visible(relations.getByRole("link", { name: switchName }));
      // The same relation again is refused, and said so.
      await search(page, add, /^Other CI/, "core-sw-1", new RegExp(switchName));
      await add.getByRole("button", { name: "Add relation" }).click();
      await visible(add.getByRole("alert").filter({ hasText: /already related/ }));
      await shot("152-cmdb-relations");

      // Edit an attribute: version 2 with its diff in the history.
      await page.getByRole("button", { name: "Edit" }).click();
      const edit = page.getByRole("dialog", { name: `Edit ${serverName}` });
      await edit.getByLabel("Memory (MB)", { exact: true }).fill("65536");
      await edit.getByRole("button", { name: "Save" }).click();
      await hidden(edit);
      // Who made each version comes with the versions: the history asks for no user.
      const userReads: string[] = [];
      page.on("request", (r) => {
        if (/\/api\/v1\/users\/[0-9a-f-]{36}/.test(r.url())) userReads.push(r.url());
      });
      await page.getByRole("tab", { name: "History" }).click();
      const v2 = page.getByRole("listitem", { name: "Version 2" });
      await visible(v2);
      await visible(v2.getByText("Memory (MB):"));
      await visible(v2.getByText("65,536"));
      await visible(v2.getByText("Web"));
      await visible(v2.getByText("Administrator"));
      expect(userReads).toEqual([]);
      await visible(page.getByRole("listitem", { name: "Version 1" }).getByText("Created"));
      const compare = page.getByRole("table", { name: "Differences between version 1 and version 2" });
      await visible(compare.getByRole("row", { name: /Memory \(MB\)/ }));
      await shot("153-cmdb-history");

      // An edit made from a stale copy is refused and says so; the latest version loads on request.
      await page.getByRole("button", { name: "Edit" }).click();
      const stale = page.getByRole("dialog", { name: `Edit ${serverName}` });
      await visible(stale.getByLabel("Model", { exact: true }));
      await api(page, "PATCH", `/api/v1/cmdb/cis/${serverId}`, { version: 2, attributes: { cpuCores: 16 } });
      await stale.getByLabel("Model", { exact: true }).fill("PowerEdge R760");
      await stale.getByRole("button", { name: "Save" }).click();
      await visible(stale.getByRole("alert").filter({ hasText: "Someone else saved this configuration item" }));
      await shot("153b-cmdb-stale-edit");
      await stale.getByRole("button", { name: "Load the latest version" }).click();
      await expect.poll(() => stale.getByLabel("CPU cores", { exact: true }).inputValue()).toBe("16");
      await stale.getByLabel("Model", { exact: true }).fill("PowerEdge R760");
      await stale.getByRole("button", { name: "Save" }).click();
      await hidden(stale);
      await visible(page.getByRole("listitem", { name: "Version 4" }).getByText("PowerEdge R760"));

      // The graph shows both CIs; clicking one opens it.
      await page.getByRole("tab", { name: "Graph" }).click();
      const graph = page.getByTestId("ci-graph");
      await visible(graph.locator(".react-flow__node").filter({ hasText: switchName }));
      await visible(graph.locator(".react-flow__node").filter({ hasText: serverName }));
      await expect.poll(() => graph.locator(".react-flow__edge").count()).toBe(1);
      await shot("154-cmdb-graph");
      await graph.locator(".react-flow__node").filter({ hasText: switchName }).click();
      await page.waitForURL((url) => url.pathname === `/cmdb/cis/${switchId}`);
      await visible(page.getByRole("heading", { name: switchName, level: 1 }));
      const swGraph = page.getByTestId("ci-graph");
      await visible(swGraph.locator(".react-flow__node").filter({ hasText: serverName }));
      await swGraph.locator(".react-flow__node").filter({ hasText: serverName }).click();
      await page.waitForURL((url) => url.pathname === `/cmdb/cis/${serverId}`);
      // The list alternative names the same CIs.
      await page.getByRole("button", { name: "Show as list" }).click();
      await visible(page.getByRole("link", { name: switchName }));

      // The switch's impact: the server one hop away.
      await page.goto(`/cmdb/cis/${switchId}?tab=impact`);
      const affected = page.getByRole("table", { name: "Affected configuration items" });
      const srvRow = affected.getByRole("row").filter({ hasText: serverName });
      await visible(srvRow);
      expect(await srvRow.getByLabel("Depth 1").count()).toBe(1);

      // A business service on the server, subscribed by a customer; an open ticket on the server.
      const criticality = (await api(page, "GET", "/api/v1/cmdb/catalog/criticality")).items[0] as Made;
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as (Made & { code: string })[];
      const serviceClass = classes.find((c) => c.code === "business_service") as Made;
      const org = await api(page, "POST", "/api/v1/organizations", { name: `Acme ${tag}` });
      const service = await api(page, "POST", "/api/v1/cmdb/cis", {
        classId: serviceClass.id,
        name: `Sales portal ${tag}`,
        attributes: { criticality: criticality.id },
        serviceOrganizationIds: [org.id],
      });
      await api(page, "POST", "/api/v1/cmdb/relations", {
        sourceId: service.id,
        targetId: serverId,
        type: "depends_on",
      });
      const ticket = await api(page, "POST", "/api/v1/tickets", {
        type: "incident",
        title: `Portal times out ${tag}`,
        impact: 2,
        urgency: 2,
      });
      await api(page, "PUT", `/api/v1/tickets/${ticket.id}/cis`, { ciIds: [serverId] });

      await page.reload();
      await visible(page.getByRole("list", { name: "Services" }).getByRole("link", { name: service.name }));
      await visible(page.getByRole("list", { name: "Customers" }).getByText(org.name));
      await visible(page.getByRole("list", { name: "Open tickets" }).getByRole("link", { name: ticket.number }));
      await visible(affected.getByRole("row").filter({ hasText: service.name }));
      await visible(page.getByLabel(`Path to ${service.name}`).getByText(serverName));
      await shot("155-cmdb-impact");

      // Upstream from the service reaches the switch.
      await page.goto(`/cmdb/cis/${service.id}?tab=impact`);
      await page.getByText("Upstream · what it needs").click();
      await visible(
        page.getByRole("table", { name: "What it depends on" }).getByRole("row").filter({ hasText: switchName }),
      );

      // The switch's tickets tab lists the ticket on the server that depends on it.
      await page.goto(`/cmdb/cis/${switchId}?tab=tickets`);
      await visible(page.getByRole("heading", { name: "Open tickets on this CI and what depends on it" }));
      await page.getByRole("link", { name: ticket.number }).click();
      await page.waitForURL((url) => url.pathname === `/tickets/${ticket.id}`);
      // …whose page lists the server among its affected CIs.
      await visible(page.getByRole("list", { name: "Affected CIs" }).getByRole("link", { name: serverName }));

      // The list filters by class, text and attribute, all in the address.
      await page.goto("/cmdb");
      await choose(page, page, "Class", "Server");
      await page.waitForURL((url) => url.searchParams.has("classId"));
      await visible(page.getByRole("link", { name: serverName }));
      await expect.poll(() => page.getByRole("link", { name: switchName }).count()).toBe(0);
      await page.goto("/cmdb");
      await page.getByRole("searchbox", { name: "Search configuration items" }).fill(`${switchName}.example`);
      await page.waitForURL((url) => url.searchParams.get("q") === `${switchName}.example`);
      await visible(page.getByRole("link", { name: switchName }));
      await expect.poll(() => page.getByRole("link", { name: serverName }).count()).toBe(0);
      await page.goto("/cmdb");
      await choose(page, page, "Attribute", "Ports");
      await page.getByRole("textbox", { name: "Attribute value" }).fill("48");
      await page.waitForURL((url) => url.searchParams.get("attribute") === "ports=48");
      await visible(page.getByRole("link", { name: switchName }));
      await choose(page, page, "Incident state", "Operational");
      await page.waitForURL((url) => url.searchParams.get("incidentState") === "operational");
      await shot("156-cmdb-list");
    });
  });

  it("the class editor adds attributes to a new class and shows the server's refusal to retype one", async () => {
    await withPage("cmdb-classes", async ({ page, shot }) => {
      await logInAt(page, "/admin/cmdb-classes", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "CI classes", level: 1 }));
      await page.getByRole("button", { name: "New class" }).click();
      const form = page.getByRole("dialog", { name: "New class" });
      await form.getByLabel(/^Name/).fill(`Printer ${tag}`);
      await form.getByRole("button", { name: "Add attribute" }).click();
      const first = form.getByRole("listitem", { name: "Attribute 1" });
      await first.getByLabel(/^Label/).fill("Pages printed");
      await choose(page, form.getByRole("listitem", { name: "Pages printed" }), /^Type/, "Number");
      await form.getByRole("button", { name: "Add attribute" }).click();
      const second = form.getByRole("listitem", { name: "Attribute 2" });
      await second.getByLabel(/^Label/).fill("Vendor");
      const vendor = form.getByRole("listitem", { name: "Vendor" });
      await choose(page, vendor, /^Type/, "Catalog value");
      await vendor.getByLabel(/^Catalog list/).fill("manufacturer");
      await vendor.getByLabel("Searchable").check();
      expect(await vendor.getByLabel(/^Key/).inputValue()).toBe("vendor");
      await shot("157-cmdb-class-form");
      await form.getByRole("button", { name: "Create class" }).click();
      await hidden(form);
      const row = page.getByRole("row").filter({ hasText: `Printer ${tag}` });
      await visible(row);
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as (Made & {
        attributes: { key: string; type: string; catalog?: string; searchable?: boolean }[];
      })[];
      const printer = classes.find((c) => c.name === `Printer ${tag}`);
      expect(printer?.attributes).toEqual([
        { key: "pagesPrinted", label: "Pages printed", type: "number" },
        { key: "vendor", label: "Vendor", type: "catalog", catalog: "manufacturer", searchable: true },
      ]);

      // Retyping a saved attribute is refused beside the field.
      await row.getByRole("button", { name: `Printer ${tag}` }).click();
      const editForm = page.getByRole("dialog", { name: `Edit Printer ${tag}` });
      await choose(page, editForm.getByRole("listitem", { name: "Pages printed" }), /^Type/, "Text");
      await editForm.getByRole("button", { name: "Save" }).click();
      await visible(editForm.getByText(/add a new attribute instead of retyping/i));
      await shot("158-cmdb-class-retype-refused");
      await editForm.getByRole("button", { name: "Cancel" }).click();

      // The catalog editor adds a value to a list.
      await page.goto("/admin/cmdb-catalog");
      await choose(page, page, /^List/, "Manufacturer");
      await page.getByRole("form", { name: "Add a value" }).getByLabel(/^Name/).fill(`Juniper ${tag}`);
      await page.getByRole("button", { name: "Add value" }).click();
      await visible(page.getByRole("textbox", { name: `Name of Juniper ${tag}` }));
      await page.getByRole("switch", { name: `Juniper ${tag} is active` }).click();
      await expect
        .poll(async () => {
          const items = (await api(page, "GET", "/api/v1/cmdb/catalog/manufacturer")).items as (Made & {
            active: boolean;
          })[];
          return items.find((i) => i.name === `Juniper ${tag}`)?.active;
        })
        .toBe(false);
      // The list picker says how many values each list has, and how many of them are active.
      await page.getByRole("combobox", { name: /^List/ }).click();
      await visible(page.getByRole("option", { name: /Manufacturer/ }).getByText(/^\d+ of \d+ values active$/));
      await shot("159b-cmdb-catalog-lists");
      await page
        .getByRole("option", { name: /Deployment state/ })
        .first()
        .click();
      await visible(page.getByRole("textbox", { name: "Name of Production" }));
      await shot("159-cmdb-catalog");
    });
  });

  it("the ticket page links affected CIs, offering the requester's organization's first", async () => {
    await withPage("cmdb-ticket", async ({ page, shot }) => {
      await logInAt(page, "/tickets", server.adminEmail, server.adminPassword);
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as (Made & { code: string })[];
      const app = classes.find((c) => c.code === "application") as Made;
      const org = await api(page, "POST", "/api/v1/organizations", { name: `Initech ${tag}` });
      const crm = await api(page, "POST", "/api/v1/cmdb/cis", {
        classId: app.id,
        name: `Initech CRM ${tag}`,
        organizationId: org.id,
      });
      const ticket = await api(page, "POST", "/api/v1/tickets", {
        type: "incident",
        title: `CRM login fails ${tag}`,
        impact: 3,
        urgency: 3,
        organizationId: org.id,
      });
      await page.goto(`/tickets/${ticket.id}`);
      const panel = page.getByRole("region", { name: "Affected CIs" });
      await visible(panel.getByText("No configuration item is linked."));
      await panel.getByRole("button", { name: "Link CIs" }).click();
      const picker = panel.getByRole("combobox", { name: /^Configuration items and services/ });
      await picker.click();
      await visible(page.getByText(`Initech ${tag}'s CIs`));
      await page.getByRole("option", { name: new RegExp(crm.name) }).click();
      await page.keyboard.press("Escape");
      // A full-page picture of a scrolled page repeats the fixed header mid-way: take it from the top.
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("160-ticket-cis-editor");
      await panel.getByRole("button", { name: "Save" }).click();
      const link = panel.getByRole("list", { name: "Affected CIs" }).getByRole("link", { name: crm.name });
      await visible(link);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("161-ticket-cis");
      const linked = (await api(page, "GET", `/api/v1/tickets/${ticket.id}/cis`)).items;
      expect(linked.map((c) => c.id)).toEqual([crm.id]);
      await link.click();
      await page.waitForURL((url) => url.pathname === `/cmdb/cis/${crm.id}`);
      await page.getByRole("tab", { name: "Tickets" }).click();
      await visible(page.getByRole("link", { name: ticket.number }));
    });
  });

  it("groups redundant CIs: related ones offered first, a refusal beside its field, the rule shown, removal confirmed", async () => {
    await withPage("cmdb-redundancy", async ({ page, shot }) => {
      await logInAt(page, "/cmdb", server.adminEmail, server.adminPassword);
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as (Made & { code: string })[];
      const appClass = classes.find((c) => c.code === "application") as Made;
      const serverClass = classes.find((c) => c.code === "server") as Made;
      const shop = await api(page, "POST", "/api/v1/cmdb/cis", { classId: appClass.id, name: `Shop ${tag}` });
      const webs: Made[] = [];
      for (const n of ["a", "b", "c"]) {
        webs.push(await api(page, "POST", "/api/v1/cmdb/cis", { classId: serverClass.id, name: `web-${n}-${tag}` }));
      }
      const [webA, webB, webC] = webs as [Made, Made, Made];
      for (const w of [webA, webB]) {
        await api(page, "POST", "/api/v1/cmdb/relations", { sourceId: shop.id, targetId: w.id, type: "runs_on" });
      }

      await page.goto(`/cmdb/cis/${shop.id}?tab=relations`);
      const section = page.getByRole("region", { name: "Redundancy groups" });
      await visible(section.getByText("No redundancy groups yet."));
      await visible(section.getByText(`Shop ${tag} stays up while at least`));
      const form = page.getByRole("form", { name: "Add a redundancy group" });
      await form.getByLabel(/^Name/).fill("Web pool");
      // The CIs related to this one come first, before anything is typed…
      const members = form.getByRole("combobox", { name: /^Members/ });
      await members.click();
      await visible(page.getByText("Related to this CI"));
      await page.getByRole("option", { name: new RegExp(webA.name) }).click();
      await members.click();
      await page.getByRole("option", { name: new RegExp(webB.name) }).click();
      // …and any other is found by searching.
      await search(page, form, /^Members/, `web-c-${tag}`, new RegExp(webC.name));
      await page.keyboard.press("Escape");
      const minimum = form.getByLabel(/^Stays up while at least/);
      await minimum.fill("4");
      await form.getByRole("button", { name: "Add group" }).click();
      // More than there are members: the server's refusal, beside the number.
      await visible(form.getByText("At most the 3 members"));
      await minimum.fill("2");
      await visible(form.getByText(`Shop ${tag} stays up while at least 2 of these 3 are up.`));
      await form.getByRole("button", { name: "Add group" }).click();
      const pool = section.getByRole("listitem", { name: "Web pool" });
      await visible(pool.getByText("At least 2 of 3 up"));
      for (const w of webs) {
        await visible(pool.getByRole("list", { name: "Members of Web pool" }).getByRole("link", { name: w.name }));
      }
      const stored = (await api(page, "GET", `/api/v1/cmdb/cis/${shop.id}/redundancy-groups`)).items as unknown as {
        name: string;
        memberIds: string[];
        minUp: number | null;
        minPercent: number | null;
      }[];
      expect(stored).toMatchObject([
        { name: "Web pool", memberIds: webs.map((w) => w.id).sort(), minUp: 2, minPercent: null },
      ]);

      // A share instead of a count.
      await form.getByLabel(/^Name/).fill("Front pair");
      await members.click();
      await page.getByRole("option", { name: new RegExp(webA.name) }).click();
      await members.click();
      await page.getByRole("option", { name: new RegExp(webB.name) }).click();
      await page.keyboard.press("Escape");
      await form.getByText("% up", { exact: true }).click();
      await minimum.fill("50");
      await form.getByRole("button", { name: "Add group" }).click();
      const pair = section.getByRole("listitem", { name: "Front pair" });
      await visible(pair.getByText("At least 50 % up"));
      await visible(pair.getByText("1 of 2"));
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("162-cmdb-redundancy-groups");

      // Removing asks first.
      await pool.getByRole("button", { name: "Remove redundancy group Web pool" }).click();
      const confirm = page.getByRole("dialog", { name: "Remove redundancy group?" });
      await visible(confirm.getByText(/stop honouring/));
      await shot("163-cmdb-redundancy-remove");
      await confirm.getByRole("button", { name: "Remove group" }).click();
      await hidden(confirm);
      await hidden(pool);
      await visible(pair);
      const left = (await api(page, "GET", `/api/v1/cmdb/cis/${shop.id}/redundancy-groups`)).items;
      expect(left.map((g) => g.name)).toEqual(["Front pair"]);
    });
  });

  it("exports the CIs the list's filters find, as CSV and XLSX", async () => {
    await withPage("cmdb-export", async ({ page, shot }) => {
      await logInAt(page, "/cmdb", server.adminEmail, server.adminPassword);
      const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items as (Made & { code: string })[];
      const serverClass = classes.find((c) => c.code === "server") as Made;
      const deviceClass = classes.find((c) => c.code === "network_device") as Made;
      const wanted = [`export-a-${tag}`, `export-b-${tag}`];
      for (const name of wanted) await api(page, "POST", "/api/v1/cmdb/cis", { classId: serverClass.id, name });
      const otherClass = `export-c-${tag}`;
      await api(page, "POST", "/api/v1/cmdb/cis", { classId: deviceClass.id, name: otherClass });

      await page.goto("/cmdb");
      await page.getByRole("searchbox", { name: "Search configuration items" }).fill("export-");
      await page.waitForURL((url) => url.searchParams.get("q") === "export-");
      await choose(page, page, "Class", "Server");
      await page.waitForURL((url) => url.searchParams.get("classId") === serverClass.id);
      for (const name of wanted) await visible(page.getByRole("link", { name }));
      await expect.poll(() => page.getByRole("link", { name: otherClass }).count()).toBe(0);

      await page.getByRole("button", { name: "Export", exact: true }).click();
      await visible(page.getByText("The CIs these filters find, as a file that imports back"));
      const csv = page.getByRole("menuitem", { name: "CSV" });
      expect(await csv.getAttribute("href")).toBe(
        `/api/v1/cmdb/cis/export?classId=${serverClass.id}&q=export-&format=csv`,
      );
      expect(await page.getByRole("menuitem", { name: "XLSX" }).getAttribute("href")).toBe(
        `/api/v1/cmdb/cis/export?classId=${serverClass.id}&q=export-&format=xlsx`,
      );
      await shot("164-cmdb-export-menu");
      const [download] = await Promise.all([page.waitForEvent("download"), csv.click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const text = fs.readFileSync(await download.path(), "utf8");
      for (const name of wanted) expect(text).toContain(name);
      expect(text).not.toContain(otherClass);
      expect(text).not.toContain(switchName);
    });
  });
});
