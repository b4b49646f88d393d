import { z } from "zod";
import { INCIDENT_STATES } from "../../../../common/cmdb.ts";

const id = z.uuid().optional();

/** The CI list's filters, kept in the address so a filtered list can be bookmarked and shared. */
export const CiSearchSchema = z.object({
  classId: id.catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  incidentState: z.enum(INCIDENT_STATES).optional().catch(undefined),
  deploymentStateId: id.catch(undefined),
  /** `key=value`: CIs whose attribute has this value (or lists it). */
  attribute: z
    .string()
    .max(300)
    .regex(/^[a-z][a-zA-Z0-9_]{0,39}=.*$/)
    .optional()
    .catch(undefined),
  organizationId: id.catch(undefined),
});
export type CiSearch = z.infer<typeof CiSearchSchema>;

export const hasCiFilters = (s: CiSearch) =>
  !!(s.classId || s.q || s.incidentState || s.deploymentStateId || s.attribute || s.organizationId);

/** "hostname=srv-1" → ["hostname", "srv-1"]. */
export function splitAttribute(attribute: string | undefined): [string, string] {
  if (!attribute) return ["", ""];
  const at = attribute.indexOf("=");
  return at < 0 ? [attribute, ""] : [attribute.slice(0, at), attribute.slice(at + 1)];
}

/** The tabs of a CI's page, kept in the address. */
export const CI_TABS = ["attributes", "history", "relations", "graph", "impact", "tickets"] as const;
export type CiTab = (typeof CI_TABS)[number];
export const CiPageSearchSchema = z.object({
  tab: z.enum(CI_TABS).optional().catch(undefined),
});
