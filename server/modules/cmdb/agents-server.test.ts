/**
 * The real Debian inventory agents against the real server: their inventories
 * land as Computer CIs, and a second run (a fresh agent state, so a new device
 * id) updates the same CI instead of adding one; so does the other agent on
 * the same machine. Skipped where the agents are
 * not installed (CI installs them: apt-get install fusioninventory-agent ocsinventory-agent).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { INVENTORY_REALM } from "./discovery.ts";
import { type AgentKind, type AgentRun, agentInstalled, runAgent } from "./inventory/testing/agents.ts";

let t: TestApp;
let admin: Client;
let url: string;
let key: string;

const anyAgent = agentInstalled("fusion") || agentInstalled("ocs");

beforeAll(async () => {
  if (!anyAgent) return;
  t = await createTestApp();
  admin = await adminClient(t);
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const address = t.app.server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/api/v1/inventory`;
  key = (await admin.post("/api/v1/cmdb/inventory-keys", { name: "Debian agents" })).json().key;
});
afterAll(() => t?.close());

const log = async (protocol: string) =>
  (await admin.get("/api/v1/cmdb/discovery-log?limit=50"))
    .json()
    .items.filter((e: { protocol: string }) => e.protocol === protocol);

function failure(run: AgentRun) {
  return `${run.command.slice(-6).join(" ")}\nexit ${run.exitCode}\n${run.output.slice(-3000)}`;
}

describe.each(["fusion", "ocs"] as const)("the real %s agent against Steward", (kind: AgentKind) => {
  it.skipIf(!agentInstalled(kind))(
    "authenticates with an inventory key; its machine becomes a CI, and a second run updates it",
    async () => {
      const credentials = { user: "agent", password: key, realm: INVENTORY_REALM };
      const first = await runAgent(kind, { url, credentials });
      expect(first.exitCode, failure(first)).toBe(0);
      const [created] = await log(kind);
      // The other agent may have reported this very machine already: then this run updates that CI.
      expect(created?.outcome, failure(first)).toMatch(/created|updated/);
      const ci = (await admin.get(`/api/v1/cmdb/cis/${created.ciId}`)).json();
      expect(ci).toMatchObject({ className: "Computer" });
      expect(ci.attributes.hostname).toBeTruthy();
      expect(ci.attributes.macAddresses.length).toBeGreaterThan(0);
      const software = (await admin.get(`/api/v1/cmdb/cis/${ci.id}/relations`)).json().items;
      expect(software.some((r: { type: string }) => r.type === "installed_on")).toBe(true);

      const second = await runAgent(kind, { url, credentials });
      expect(second.exitCode, failure(second)).toBe(0);
      const [again] = await log(kind);
      expect(again.ciId).toBe(ci.id);
      expect(again.outcome).toMatch(/updated|unchanged/);
      const computers = (
        await admin.get(`/api/v1/cmdb/cis?classId=${ci.classId}&attribute=hostname=${ci.attributes.hostname}`)
      ).json();
      expect(computers.items).toHaveLength(1);

      // Without the key, nothing lands.
      const before = (await log(kind)).length;
      await runAgent(kind, { url, credentials: { ...credentials, password: "inv_wrong" } });
      expect((await log(kind)).length).toBe(before);
    },
    180_000,
  );
});
