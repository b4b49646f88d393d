/**
 * The reference datasets: their sizes, the size argument, and the marker row `npm run bench:seed` writes.
 *
 * Stable API (imported by bench/seed.ts, bench/plans.ts and bench/run.ts):
 * - `SIZES`, `Size`, `parseSize(argv)`: what S, M and L hold.
 * - `MARKER_KEY`, `DatasetMarker`, `DatasetRefs`: the `settings` row describing a seeded database.
 * - `datasetOf(db)`: that row, or null when the database was not seeded.
 */
import { sql } from "kysely";
import type { Db } from "../../server/db/database.ts";

export type Size = "S" | "M" | "L";

export interface SizeSpec {
  /** Customer accounts (kind 'customer'): the people who raise tickets. */
  employees: number;
  /** Customer organizations; the first one is the biggest (`largestOrganization` members). */
  organizations: number;
  /** Members of the biggest organization (the others share the rest, skewed). */
  largestOrganization: number;
  /** Agent accounts (kind 'agent'), all able to sign in. */
  agents: number;
  /** Agent groups (besides the built-in Service Desk). */
  groups: number;
  /** Tickets of all three types. */
  tickets: number;
  /** The newest tickets that are still open (new, open or pending); the others are resolved or closed. */
  openTickets: number;
  /** Timeline entries (ticket_articles): replies, notes and system events. */
  entries: number;
  /** Entries of the one very long ticket (`refs.bigTicketId`). */
  bigTicketEntries: number;
  /** Configuration items. */
  cis: number;
  /** CI relations. */
  relations: number;
  /** Requests for change. */
  changes: number;
  /** Years of history the tickets span, newest now. */
  years: number;
}

/** The three reference sizes. S is one mid-sized company, M a large one over five years, L a managed service provider. */
export const SIZES: Record<Size, SizeSpec> = {
  S: {
    employees: 1_000,
    organizations: 50,
    largestOrganization: 200,
    agents: 15,
    groups: 5,
    tickets: 50_000,
    openTickets: 800,
    entries: 500_000,
    bigTicketEntries: 1_000,
    cis: 5_000,
    relations: 20_000,
    changes: 1_000,
    years: 2,
  },
  M: {
    employees: 10_000,
    organizations: 5_000,
    largestOrganization: 1_000,
    agents: 150,
    groups: 25,
    tickets: 500_000,
    openTickets: 5_000,
    entries: 5_000_000,
    bigTicketEntries: 1_000,
    cis: 100_000,
    relations: 500_000,
    changes: 10_000,
    years: 5,
  },
  L: {
    employees: 60_000,
    organizations: 200,
    largestOrganization: 10_000,
    agents: 500,
    groups: 60,
    tickets: 2_000_000,
    openTickets: 20_000,
    entries: 20_000_000,
    bigTicketEntries: 1_000,
    cis: 1_000_000,
    relations: 5_000_000,
    changes: 50_000,
    years: 5,
  },
};

export function isSize(value: string): value is Size {
  return value === "S" || value === "M" || value === "L";
}

/** Reads `--size S|M|L` (or `--size=M`) from argv; `fallback` when absent. Throws on anything else. */
export function parseSize(argv: readonly string[], fallback: Size = "S"): Size {
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--size") raw = argv[i + 1];
    else if (a.startsWith("--size=")) raw = a.slice("--size=".length);
  }
  if (raw === undefined) return fallback;
  const upper = raw.toUpperCase();
  if (!isSize(upper)) throw new Error(`--size must be S, M or L (got ${JSON.stringify(raw)})`);
  return upper;
}

/** The `settings` key of the marker row. */
export const MARKER_KEY = "bench.dataset";

/** Records the runner needs to aim at: hubs, chains, the long ticket, the busiest agent. */
export interface DatasetRefs {
  /** The core switch most CIs depend on (thousands of dependents downstream). */
  hubCiId: string;
  hubCiName: string;
  /** The shared database many applications depend on. */
  sharedDatabaseCiId: string;
  /** The top of the deepest application chain (application → application → …); its upstream walk is `chainDepth` deep. */
  chainTopCiId: string;
  /** The bottom of that chain: its downstream walk crosses the whole chain. */
  chainBottomCiId: string;
  chainDepth: number;
  /** A business service with subscribed organizations, on top of the estate. */
  businessServiceCiId: string;
  /** A virtual machine in the middle of the estate (for graphs and what-if simulations). */
  virtualMachineCiId: string;
  /** An incident with `bigTicketEntries` timeline entries. */
  bigTicketId: string;
  bigTicketNumber: number;
  /** An open incident of the busy agent's group. */
  openTicketId: string;
  /** The agent with the most open tickets assigned (a full work list); signs in with `agentPassword`. */
  busyAgentEmail: string;
  busyAgentId: string;
  /** The organization with `largestOrganization` members. */
  largestOrganizationId: string;
  /** A customer of that organization. */
  customerEmail: string;
  /** A change in the schedule (scheduled, with CIs and work orders). */
  changeId: string;
}

export interface DatasetMarker {
  format: 1;
  size: Size;
  /** The generator seed every value derives from (same seed and size: same data). */
  seed: number;
  /** ISO time the seed finished. */
  seededAt: string;
  /** Wall-clock seconds the seed took. */
  seconds: number;
  /** Rows per table after the seed. */
  counts: Record<string, number>;
  /** An administrator who can sign in. */
  admin: { email: string; password: string };
  /** Every agent's password (all agents share it). */
  agentPassword: string;
  /** Agent e-mails, in a stable order. */
  agents: string[];
  refs: DatasetRefs;
}

/** The marker row of a seeded database, or null (unseeded, or not even migrated). */
export async function datasetOf(db: Db): Promise<DatasetMarker | null> {
  const exists = await sql<{ t: string | null }>`select to_regclass('public.settings')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return null;
  const row = await db.selectFrom("settings").select("value").where("key", "=", MARKER_KEY).executeTakeFirst();
  if (!row) return null;
  const value = (typeof row.value === "string" ? JSON.parse(row.value) : row.value) as DatasetMarker;
  return value?.format === 1 ? value : null;
}
