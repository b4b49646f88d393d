/**
 * The real agents against this module's replies: each must go from PROLOG to
 * a full INVENTORY and exit 0. Skipped where the agents are not installed
 * (apt-get install fusioninventory-agent ocsinventory-agent).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type AgentKind, type AgentRun, agentInstalled, runAgent } from "./testing/agents.ts";

function summary(run: AgentRun): string {
  const requests = run.requests.map((r) => `${r.status} ${r.message?.kind ?? r.error?.message ?? ""}`).join(", ");
  return `${run.command.slice(-6).join(" ")}\nexit ${run.exitCode}; requests: ${requests}\n${run.output.slice(-4000)}`;
}

/** STEWARD_INVENTORY_CAPTURE_DIR=server/modules/cmdb/inventory/fixtures refreshes the fixtures. */
function saveCaptures(kind: AgentKind, run: AgentRun) {
  const dir = process.env.STEWARD_INVENTORY_CAPTURE_DIR;
  if (!dir) return;
  fs.mkdirSync(path.join(dir, kind), { recursive: true });
  for (const request of run.requests) {
    if (request.decoded && request.message) {
      fs.writeFileSync(path.join(dir, kind, `${request.message.kind}.xml`), request.decoded);
    }
  }
}

function expectFullInventory(run: AgentRun, protocol: AgentKind) {
  const messages = run.requests.flatMap((r) => (r.message ? [r.message] : []));
  expect(
    messages.map((m) => m.kind),
    summary(run),
  ).toEqual(["prolog", "inventory"]);
  const inventory = messages[1];
  if (inventory?.kind !== "inventory") throw new Error("no inventory");
  expect(inventory.protocol).toBe(protocol);
  expect(inventory.partial).toBe(false);
  expect(inventory.deviceId).toBe(messages[0]?.deviceId);
  expect(inventory.inventory.hostname).toBeTruthy();
  expect(inventory.inventory.interfaces?.some((i) => i.mac && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(i.mac))).toBe(true);
  expect(inventory.inventory.software?.length ?? 0).toBeGreaterThan(0);
}

describe.each([
  ["fusion", "FusionInventory-Agent_v"],
  ["ocs", "OCS-NG_unified_unix_agent_v"],
] as const)("the real %s agent", (kind, userAgent) => {
  it.skipIf(!agentInstalled(kind))(
    "goes from PROLOG to a full INVENTORY on our replies and exits 0",
    async () => {
      const run = await runAgent(kind);
      saveCaptures(kind, run);
      expect(run.timedOut, summary(run)).toBe(false);
      expect(run.exitCode, summary(run)).toBe(0);
      expect(run.requests.every((r) => r.headers["user-agent"]?.startsWith(userAgent))).toBe(true);
      expectFullInventory(run, kind);
    },
    90_000,
  );

  it.skipIf(!agentInstalled(kind))(
    "sends HTTP basic credentials after a 401 with WWW-Authenticate",
    async () => {
      const credentials = { user: "agent", password: "s3cret:x", realm: "Steward inventory" };
      const run = await runAgent(kind, { listener: { basicAuth: credentials }, credentials });
      expect(run.timedOut, summary(run)).toBe(false);
      expect(run.exitCode, summary(run)).toBe(0);
      expect(run.requests[0]?.status).toBe(401);
      expectFullInventory(run, kind);
    },
    90_000,
  );
});
