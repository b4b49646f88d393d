import { Badge, Group, Text } from "@mantine/core";
import type { AttributeDefinition, CatalogItem } from "../../api/cmdb.ts";
import { useGroupNames, useUserNames } from "../tickets/use-names.ts";
import { CiLink } from "./cmdb-badges.tsx";
import { useCatalogNames, useCiNames, useOrganizationNames } from "./use-cmdb.ts";

/** Names for the ids a CI stores: catalog values, CIs, users, organizations and groups. */
export interface Lookups {
  catalog: Map<string, CatalogItem>;
  cis: Map<string, { number: string; name: string }>;
  users: Map<string, string>;
  orgs: Map<string, string>;
  groups: Map<string, string>;
}

export interface Refs {
  lists: string[];
  cis: string[];
  users: string[];
  orgs: string[];
}

export const emptyRefs = (): Refs => ({ lists: [], cis: [], users: [], orgs: [] });

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined || v === "" ? [] : [v]);
const ids = (v: unknown) => asList(v).filter((x): x is string => typeof x === "string");

/** Adds the ids the values refer to (by their definitions) to `refs`. */
export function collectRefs(refs: Refs, defs: readonly AttributeDefinition[], values: Record<string, unknown>): Refs {
  for (const def of defs) {
    const v = values[def.key];
    if (def.type === "catalog" && def.catalog) refs.lists.push(def.catalog);
    else if (def.type === "ci" || def.type === "location") refs.cis.push(...ids(v));
    else if (def.type === "user") refs.users.push(...ids(v));
    else if (def.type === "organization") refs.orgs.push(...ids(v));
  }
  return refs;
}

export function useLookups(refs: Refs): Lookups {
  return {
    catalog: useCatalogNames(refs.lists),
    cis: useCiNames(refs.cis),
    users: useUserNames(refs.users),
    orgs: useOrganizationNames(refs.orgs),
    groups: useGroupNames(),
  };
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

export const isEmptyValue = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/** One stored scalar as words. */
function scalarText(def: AttributeDefinition | undefined, v: unknown, l: Lookups): string {
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "number") return v.toLocaleString();
  if (typeof v !== "string") return JSON.stringify(v);
  switch (def?.type) {
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? dateFormat.format(new Date(`${v}T00:00:00Z`)) : v;
    case "catalog":
      return l.catalog.get(v)?.name ?? "…";
    case "ci":
    case "location": {
      const ci = l.cis.get(v);
      return ci ? `${ci.name} (${ci.number})` : "…";
    }
    case "user":
      return l.users.get(v) ?? "…";
    case "organization":
      return l.orgs.get(v) ?? "…";
    default:
      return v;
  }
}

/** A stored value (scalar or list) as one line of text: for diffs and titles. */
export function valueText(def: AttributeDefinition | undefined, v: unknown, l: Lookups): string {
  if (isEmptyValue(v)) return "—";
  return asList(v)
    .map((x) => scalarText(def, x, l))
    .join(", ");
}

/** A stored value for reading: CIs as links, lists as chips, long text kept in paragraphs. */
export function AttributeValue({
  def,
  value,
  lookups,
}: {
  def: AttributeDefinition;
  value: unknown;
  lookups: Lookups;
}) {
  if (isEmptyValue(value)) {
    return (
      <Text fz="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (def.type === "ci" || def.type === "location") {
    return (
      <Group gap="xs">
        {ids(value).map((id) => (
          <CiLink key={id} id={id} name={lookups.cis.get(id)?.name ?? "…"} number={lookups.cis.get(id)?.number} />
        ))}
      </Group>
    );
  }
  if (Array.isArray(value)) {
    return (
      <Group gap={6}>
        {value.map((v) => (
          <Badge key={String(v)} variant="default" tt="none" fw={500} radius="sm">
            {scalarText(def, v, lookups)}
          </Badge>
        ))}
      </Group>
    );
  }
  return (
    <Text fz="sm" style={{ whiteSpace: def.type === "longtext" ? "pre-wrap" : undefined, overflowWrap: "anywhere" }}>
      {scalarText(def, value, lookups)}
    </Text>
  );
}
