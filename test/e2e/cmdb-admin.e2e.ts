import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import ExcelJS from "exceljs";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hidden, launchBrowser, logInAt, type OpenedPage, runInPage, visible } from "./support/browser.ts";
import { repoRoot, type StewardServer, startServer } from "./support/server.ts";

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
  name: string;
  number: string;
  code: string;
  attributes: Record<string, unknown>;
}

/** A JSON call through the signed-in page's session, with its CSRF token. */
async function api(page: Page, method: "GET" | "POST", url: string, data?: unknown) {
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

async function classId(page: Page, code: string): Promise<string> {
  const classes = (await api(page, "GET", "/api/v1/cmdb/classes?limit=200")).items;
  return (classes.find((c) => c.code === code) as Made).id;
}

const count = (page: Page, label: string) => page.getByRole("group", { name: label, exact: true });

/** An agent's inventory, as FusionInventory sends it: zlib-compressed XML with the key as the Basic password. */
async function sendInventory(xml: Buffer, key: string | null) {
  const headers: Record<string, string> = {
    "Content-Type": "application/x-compress-zlib",
    "User-Agent": "FusionInventory-Agent_v2.6",
  };
  if (key) headers.Authorization = `Basic ${Buffer.from(`agent:${key}`).toString("base64")}`;
  return fetch(`${server.url}/api/v1/inventory`, { method: "POST", headers, body: zlib.deflateSync(xml) });
}

describe("CMDB administration", () => {
  const tag = Date.now().toString(36);

  it("imports servers from CSV: a dry run with a rejected line, a changed mapping, then the import", async () => {
    await withPage("cmdb-import", async ({ page, shot }) => {
      await logInAt(page, "/admin/cmdb-import", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "Import CIs", level: 1 }));
      await visible(
        page.getByRole("link", { name: "Import CIs", exact: true }).and(page.locator("[aria-current=page]")),
      );
      const serverClass = await classId(page, "server");

      // Step 1: the class, then its export links; a file over 20 MiB is refused here, before any upload.
      await choose(page, page, /^Class/, /^Server$/);
      const csvLink = page.getByRole("link", { name: "Download CSV" });
      await visible(csvLink);
      expect(await csvLink.getAttribute("href")).toBe(`/api/v1/cmdb/cis/export?classId=${serverClass}&format=csv`);
      expect(await csvLink.getAttribute("download")).toBe("");
      const exported = await page.request.get((await csvLink.getAttribute("href")) ?? "");
      expect(exported.status()).toBe(200);
      expect(exported.headers()["content-type"]).toMatch(/^text\/csv/);
      expect(await page.getByRole("link", { name: "Download XLSX" }).getAttribute("href")).toContain("format=xlsx");
      const input = page.getByLabel("CSV or XLSX file");
      await input.setInputFiles({
        name: "huge.csv",
        mimeType: "text/csv",
        buffer: Buffer.alloc(20 * 1024 * 1024 + 1, "a"),
      });
      await visible(page.getByRole("alert").filter({ hasText: "huge.csv is too large" }));

      const csv = [
        "Name,Host,Serial number,Memory (MB),Manufacturer",
        `Server one ${tag},imp-1-${tag}.example.net,SN-IMP-1-${tag},16384,Dell`,
        `Server two ${tag},imp-2-${tag}.example.net,SN-IMP-2-${tag},lots,HP`,
      ].join("\n");
      await input.setInputFiles({ name: "servers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await visible(page.getByTestId("import-file-name").filter({ hasText: "servers.csv" }));
      await hidden(page.getByRole("alert").filter({ hasText: "too large" }));
      await shot("170-cmdb-import-file");

      // Step 2: the dry run: one to create, line 3 rejected with its column and reason.
      await page.getByRole("button", { name: "Dry run", exact: true }).click();
      const report = page.getByRole("region", { name: "Dry run report" });
      await visible(report);
      await expect.poll(() => count(page, "To create").textContent()).toContain("1");
      await expect.poll(() => count(page, "Rejected").textContent()).toContain("1");
      const rejected = page.getByRole("table", { name: "Rejected rows" });
      const line3 = rejected.getByRole("row").filter({ hasText: '"lots" is not a number' });
      await visible(line3);
      expect(await line3.getByRole("cell").allTextContents()).toEqual(["3", "Memory (MB)", '"lots" is not a number']);
      // Columns named like a field were mapped by the server; Host was not.
      const mapping = page.getByRole("table", { name: "Column to field mapping" });
      expect(await mapping.getByRole("combobox", { name: "Field for column Name" }).inputValue()).toBe("Name");
      expect(await mapping.getByRole("combobox", { name: "Field for column Host" }).inputValue()).toBe(
        "Skip this column",
      );
      expect(await mapping.getByRole("combobox", { name: "Field for column Serial number" }).inputValue()).toBe(
        "Serial number",
      );
      expect(await page.getByRole("button", { name: "Import 1 CI" }).isEnabled()).toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("171-cmdb-import-dry-run");

      // Host becomes the name (the Name column is skipped for it); the report is stale until run again.
      await choose(page, mapping, "Field for column Host", /^Name$/);
      expect(await mapping.getByRole("combobox", { name: "Field for column Name" }).inputValue()).toBe(
        "Skip this column",
      );
      await visible(page.getByText("The mapping changed since this dry run"));
      expect(await page.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);
      await page.getByRole("button", { name: "Run the dry run again" }).click();
      await hidden(page.getByText("The mapping changed since this dry run"));
      await expect.poll(() => count(page, "To create").textContent()).toContain("1");
      await visible(page.getByRole("table", { name: "Rejected rows" }).getByRole("row").filter({ hasText: "lots" }));

      // Step 3: the import, and its report with a way to the class's CIs.
      await page.getByRole("button", { name: "Import 1 CI" }).click();
      await visible(page.getByText("Import finished").first());
      const final = page.getByRole("region", { name: "Import report" });
      await visible(final);
      await expect.poll(() => count(page, "Created").textContent()).toContain("1");
      await expect.poll(() => count(page, "Rejected").textContent()).toContain("1");
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("172-cmdb-import-done");

      const cis = (await api(page, "GET", `/api/v1/cmdb/cis?classId=${serverClass}&limit=200`)).items;
      const made = cis.filter((c) => c.name.includes(tag));
      expect(made.map((c) => c.name)).toEqual([`imp-1-${tag}.example.net`]);
      expect(made[0]?.attributes).toMatchObject({ serial: `SN-IMP-1-${tag}`, memoryMb: 16384 });
      const versions = (await api(page, "GET", `/api/v1/cmdb/cis/${made[0]?.id}/versions`)).items as unknown as {
        source: string;
      }[];
      expect(versions.map((v) => v.source)).toEqual(["import"]);

      await page.getByRole("link", { name: "Show the Server CIs" }).click();
      await page.waitForURL((url) => url.pathname === "/cmdb" && url.searchParams.get("classId") === serverClass);
      await visible(page.getByRole("link", { name: `imp-1-${tag}.example.net` }));
    });
  });

  it("reads an XLSX's columns when no column gives the name, and imports it once mapped", async () => {
    await withPage("cmdb-import-xlsx", async ({ page, shot }) => {
      await logInAt(page, "/admin/cmdb-import", server.adminEmail, server.adminPassword);
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet("Servers");
      sheet.addRow(["Host", "Serial", "Comment"]);
      sheet.addRow([`xl-1-${tag}`, `XL-1-${tag}`, "rack 4"]);
      sheet.addRow([`xl-2-${tag}`, `XL-2-${tag}`, "rack 5"]);
      const xlsx = Buffer.from(await book.xlsx.writeBuffer());
      await choose(page, page, /^Class/, /^Server$/);
      await page.getByLabel("CSV or XLSX file").setInputFiles({
        name: "servers.xlsx",
        mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        buffer: xlsx,
      });
      await page.getByRole("button", { name: "Dry run", exact: true }).click();
      const refused = page.getByRole("alert").filter({ hasText: "The dry run was refused" });
      await visible(refused.getByText("a column must give the name"));
      // The columns come from the workbook itself, read in the browser.
      const mapping = page.getByRole("table", { name: "Column to field mapping" });
      expect(await mapping.getByRole("combobox").count()).toBe(3);
      expect(await mapping.getByRole("combobox", { name: "Field for column Serial" }).inputValue()).toBe(
        "Serial number",
      );
      await visible(page.getByText("No column gives Name: map one or remove it"));
      await shot("173-cmdb-import-no-name");
      await choose(page, mapping, "Field for column Host", /^Name$/);
      await page.getByRole("button", { name: "Run the dry run again" }).click();
      await hidden(refused);
      await expect.poll(() => count(page, "To create").textContent()).toContain("2");
      await visible(page.getByText("Every row can be imported."));
      await page.getByRole("button", { name: "Import 2 CIs" }).click();
      await expect.poll(() => count(page, "Created").textContent()).toContain("2");
      const cis = (await api(page, "GET", `/api/v1/cmdb/cis?q=xl-&limit=200`)).items;
      expect(
        cis
          .filter((c) => c.name.endsWith(tag))
          .map((c) => c.name)
          .sort(),
      ).toEqual([`xl-1-${tag}`, `xl-2-${tag}`]);
    });
  });

  it("opens the inventory endpoint with a key, logs an agent's run and a conflict, and closes it on revoke", async () => {
    await withPage("cmdb-discovery", async ({ page, shot }) => {
      await logInAt(page, "/admin/cmdb-discovery", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "Discovery", level: 1 }));
      // The log names its CIs and candidates itself: the page reads no CI one by one.
      const ciReads: string[] = [];
      page.on("request", (r) => {
        if (/\/api\/v1\/cmdb\/cis\/[0-9a-f-]{36}$/.test(new URL(r.url()).pathname)) ciReads.push(r.url());
      });
      await visible(page.getByText("The inventory endpoint is closed"));
      await visible(page.getByText("No agent has sent an inventory yet."));
      const xml = fs.readFileSync(path.join(repoRoot, "server/modules/cmdb/inventory/fixtures/fusion/inventory.xml"));
      expect((await sendInventory(xml, null)).status).toBe(404);

      // A new key is shown once, with the agents' set-up for this server.
      await page.getByRole("button", { name: "New inventory key" }).click();
      const form = page.getByRole("dialog", { name: "New inventory key" });
      await form.getByLabel(/^Name/).fill(`Office agents ${tag}`);
      await form.getByRole("button", { name: "Create key" }).click();
      const shown = page.getByRole("dialog", { name: `Inventory key “Office agents ${tag}”` });
      const keyBox = shown.getByLabel("Inventory key", { exact: true });
      await visible(keyBox);
      const key = ((await keyBox.textContent()) ?? "").trim();
      expect(key).toMatch(/^inv_[0-9a-f]{40}$/);
      const endpoint = `${server.url}/api/v1/inventory`;
      const fusion = (await shown.getByLabel("FusionInventory agent set-up", { exact: true }).textContent()) ?? "";
      expect(fusion).toContain(`--server ${endpoint}`);
      expect(fusion).toContain(`--user agent --password ${key} --tasks Inventory`);
      const ocs = (await shown.getByLabel("OCS Inventory agent set-up", { exact: true }).textContent()) ?? "";
      expect(ocs).toContain(`--password "$(printf ${key} | base64)" --realm "Steward inventory"`);
      const glpi = (await shown.getByLabel("GLPI agent set-up", { exact: true }).textContent()) ?? "";
      expect(glpi).toBe(`server = http://agent:${key}@${new URL(server.url).host}/api/v1/inventory`);
      await visible(shown.getByRole("button", { name: "Copy the inventory key" }));
      await shot("174-cmdb-inventory-key");
      await shown.getByRole("button", { name: "Done" }).click();
      await hidden(shown);
      const keys = page.getByRole("table", { name: "Inventory keys" });
      const keyRow = keys.getByRole("row").filter({ hasText: `Office agents ${tag}` });
      await visible(keyRow.getByText("Active"));
      await visible(keyRow.getByText(key.slice(0, 8)));
      await visible(page.getByText("The inventory endpoint is open"));

      // A real FusionInventory run lands in the log as a created Computer CI.
      const sent = await sendInventory(xml, key);
      expect(sent.status, await sent.text()).toBe(200);
      const entry = (await api(page, "GET", "/api/v1/cmdb/discovery-log?limit=1")).items[0] as unknown as {
        ciId: string;
        outcome: string;
      };
      expect(entry.outcome).toBe("created");
      const ci = await api(page, "GET", `/api/v1/cmdb/cis/${entry.ciId}`);
      await page.getByRole("button", { name: "Refresh the discovery log" }).click();
      const log = page.getByRole("table", { name: "Discovery log" });
      const created = log.getByRole("row").filter({ hasText: "Created" });
      await visible(created);
      await visible(created.getByText("FusionInventory"));
      const ciLink = created.getByRole("link", { name: ci.name });
      await visible(ciLink);
      expect(await ciLink.getAttribute("href")).toBe(`/cmdb/cis/${ci.id}`);
      await page.reload();
      await expect.poll(() => keyRow.getByRole("cell").nth(3).textContent()).not.toBe("Never");

      // Two computers claiming one serial number: a conflict, with both as candidates.
      const computer = await classId(page, "computer");
      const twins = [];
      for (const name of [`twin-a-${tag}`, `twin-b-${tag}`]) {
        twins.push(
          await api(page, "POST", "/api/v1/cmdb/cis", {
            classId: computer,
            name,
            attributes: { serial: `TWIN-${tag}`, manufacturer: "Dell Inc." },
          }),
        );
      }
      const twinXml = `<?xml version="1.0" encoding="UTF-8"?><REQUEST><DEVICEID>twin-${tag}-2026-01-01-00-00-00</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT>
        <BIOS><SSN>TWIN-${tag}</SSN><SMANUFACTURER>Dell Inc.</SMANUFACTURER></BIOS>
        <HARDWARE><NAME>twin</NAME></HARDWARE></CONTENT></REQUEST>`;
      expect((await sendInventory(Buffer.from(twinXml), key)).status).toBe(200);
      await choose(page, page, "Outcome", "Conflict");
      const conflict = log.getByRole("row").filter({ hasText: "Conflict" });
      await visible(conflict);
      await expect.poll(() => log.getByRole("row").count()).toBe(2);
      const candidates = conflict.getByRole("list", { name: "Candidates" });
      for (const twin of twins) {
        expect(await candidates.getByRole("link", { name: twin.name }).getAttribute("href")).toBe(
          `/cmdb/cis/${twin.id}`,
        );
      }
      await shot("175-cmdb-discovery-conflict");
      await choose(page, page, "Outcome", "Every outcome");
      await visible(log.getByRole("row").filter({ hasText: "Created" }));
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("176-cmdb-discovery");

      // Revoking the last key closes the endpoint again.
      await keyRow.getByRole("button", { name: `Revoke Office agents ${tag}` }).click();
      const confirm = page.getByRole("dialog", { name: "Revoke inventory key?" });
      await visible(confirm.getByText("It is the last active key"));
      await confirm.getByRole("button", { name: "Revoke key" }).click();
      await hidden(confirm);
      await visible(keyRow.getByText("Revoked"));
      expect(await keyRow.getByRole("button", { name: /^Revoke/ }).count()).toBe(0);
      await visible(page.getByText("The inventory endpoint is closed"));
      expect((await sendInventory(xml, key)).status).toBe(404);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("177-cmdb-discovery-revoked");

      expect(ciReads).toEqual([]);

      // The CI link opens the discovered computer.
      await log.getByRole("row").filter({ hasText: "Created" }).getByRole("link", { name: ci.name }).click();
      await page.waitForURL((url) => url.pathname === `/cmdb/cis/${ci.id}`);
      await visible(page.getByRole("heading", { name: ci.name, level: 1 }));
    });
  });

  it("adds a relation type, refuses its key again beside the field, and offers it in the relation form", async () => {
    await withPage("cmdb-relation-types", async ({ page, shot }) => {
      await logInAt(page, "/admin/cmdb-relation-types", server.adminEmail, server.adminPassword);
      await visible(page.getByRole("heading", { name: "Relation types", level: 1 }));
      await visible(
        page.getByRole("link", { name: "Relation types", exact: true }).and(page.locator("[aria-current=page]")),
      );
      // The built-in types, with the way a failure travels along each in words.
      const table = page.getByRole("table", { name: "Relation types" });
      const dependsOn = table.getByRole("row").filter({ hasText: "depends_on" });
      await visible(dependsOn.getByText("A failure of the target hits the source"));
      await visible(dependsOn.getByText("Built-in"));
      await visible(
        table.getByRole("row").filter({ hasText: "part_of" }).getByText("A failure of the source hits the target"),
      );
      await visible(
        table.getByRole("row").filter({ hasText: "connected_to" }).getByText("A failure of either end hits the other"),
      );

      const form = page.getByRole("form", { name: "New relation type" });
      const label = `backs up ${tag}`;
      const key = `backs_up_${tag}`;
      await form.getByLabel(/^Label/).fill(label);
      expect(await form.getByLabel(/^Key/).inputValue()).toBe(key);
      await form.getByLabel(/^Reverse label/).fill(`is backed up by ${tag}`);
      await form.getByRole("radio", { name: "Forward" }).check();
      await visible(form.getByTestId("relation-type-preview").getByText(label));
      await shot("178-cmdb-relation-type-form");
      await form.getByRole("button", { name: "Add relation type" }).click();
      const row = table.getByRole("row").filter({ hasText: key });
      await visible(row.getByText("A failure of the source hits the target"));
      expect(await row.getByText("Built-in").count()).toBe(0);
      const types = (await api(page, "GET", "/api/v1/cmdb/relation-types")).items as unknown as {
        key: string;
        label: string;
        reverseLabel: string;
        impact: string;
        builtin: boolean;
      }[];
      expect(types.find((t) => t.key === key)).toEqual({
        key,
        label,
        reverseLabel: `is backed up by ${tag}`,
        impact: "forward",
        builtin: false,
      });

      // The same key again: refused beside the key.
      await form.getByLabel(/^Label/).fill(label);
      await form.getByLabel(/^Reverse label/).fill("is copied by");
      await form.getByRole("button", { name: "Add relation type" }).click();
      await visible(form.getByText("A relation type with this key exists: choose another key"));
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("179-cmdb-relation-types");

      // The relation form of a CI offers it, and reads it.
      const app = await classId(page, "application");
      const backup = await api(page, "POST", "/api/v1/cmdb/cis", { classId: app, name: `Backup ${tag}` });
      const files = await api(page, "POST", "/api/v1/cmdb/cis", { classId: app, name: `Files ${tag}` });
      await page.goto(`/cmdb/cis/${backup.id}?tab=relations`);
      const add = page.getByRole("form", { name: "Add a relation" });
      await choose(page, add, /^Relation/, label);
      const other = add.getByRole("combobox", { name: /^Other CI/ });
      await other.click();
      await other.fill(`Files ${tag}`);
      await page
        .getByRole("option", { name: new RegExp(`Files ${tag}`) })
        .first()
        .click();
      await visible(add.getByText(`Backup ${tag} ${label} Files ${tag}`));
      await add.getByRole("button", { name: "Add relation" }).click();
      await visible(page.getByRole("list", { name: "Relations" }).getByRole("link", { name: files.name }));
      await visible(page.getByRole("list", { name: "Relations" }).getByText(label));
    });
  });
});
