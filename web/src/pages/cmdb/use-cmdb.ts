import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import {
  type CatalogItem,
  type Ci,
  type CiClass,
  cmdbKeys,
  getCi,
  getCisByIds,
  getClassVersion,
  listCatalog,
  listClasses,
  listRelationTypes,
  type RelationType,
} from "../../api/cmdb.ts";
import { getOrganization } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";

const LONG = 5 * 60_000;

/** Every CI class the caller may see, by name. */
export function useClasses() {
  return useQuery({ queryKey: cmdbKeys.classes, queryFn: listClasses, staleTime: LONG, select: (d) => d.items });
}

export function useClassMap(): Map<string, CiClass> {
  const classes = useClasses();
  return useMemo(() => new Map((classes.data ?? []).map((c) => [c.id, c])), [classes.data]);
}

/** The built-in class with this code (`location`, `business_service`), whatever it is called now. */
export function useClassByCode(code: string): CiClass | undefined {
  const classes = useClasses();
  return (classes.data ?? []).find((c) => c.code === code);
}

/** A class's attribute definitions at one of its versions (a CI is read under the version it was written with). */
export function useClassVersion(classId: string | undefined, version: number | undefined) {
  return useQuery({
    queryKey: cmdbKeys.classVersion(classId ?? "", version ?? 0),
    queryFn: () => getClassVersion(classId ?? "", version ?? 1),
    enabled: !!classId && !!version,
    staleTime: Number.POSITIVE_INFINITY,
    select: (d) => d.attributes,
  });
}

/** The values of a general-catalog list, in their order. */
export function useCatalog(list: string | undefined) {
  return useQuery({
    queryKey: cmdbKeys.catalog(list ?? ""),
    queryFn: () => listCatalog(list ?? ""),
    enabled: !!list,
    staleTime: LONG,
    select: (d) => d.items,
  });
}

/** Catalog values of several lists at once, by id (for showing stored values). */
export function useCatalogNames(lists: readonly string[]): Map<string, CatalogItem> {
  const unique = [...new Set(lists)].sort();
  const results = useQueries({
    queries: unique.map((list) => ({
      queryKey: cmdbKeys.catalog(list),
      queryFn: () => listCatalog(list),
      staleTime: LONG,
    })),
  });
  const map = new Map<string, CatalogItem>();
  for (const r of results) for (const item of r.data?.items ?? []) map.set(item.id, item);
  return map;
}

export function useRelationTypes() {
  return useQuery({
    queryKey: cmdbKeys.relationTypes,
    queryFn: listRelationTypes,
    staleTime: LONG,
    select: (d) => d.items,
  });
}

export function useRelationTypeMap(): Map<string, RelationType> {
  const types = useRelationTypes();
  return useMemo(() => new Map((types.data ?? []).map((t) => [t.key, t])), [types.data]);
}

export function ciQuery(id: string) {
  return { queryKey: cmdbKeys.ci(id), queryFn: () => getCi(id), staleTime: 30_000, retry: false };
}

/**
 * The CIs behind these ids, fetched together (a hundred per request) rather than one by one. Ids the
 * caller may not see are absent from the map; `isLoading` tells "not yet" from "not there".
 */
export function useCisByIds(ids: readonly (string | null | undefined)[]) {
  const unique = [...new Set(ids.filter((id): id is string => !!id))].sort();
  const query = useQuery({
    queryKey: cmdbKeys.cisByIds(unique),
    queryFn: () => getCisByIds(unique),
    enabled: unique.length > 0,
    staleTime: 30_000,
    // A picker adding one more id keeps showing the names it has while the next answer comes.
    placeholderData: keepPreviousData,
  });
  const byId = useMemo(() => new Map<string, Ci>((query.data ?? []).map((c) => [c.id, c])), [query.data]);
  return { byId, isLoading: unique.length > 0 && (query.isLoading || query.isPlaceholderData) };
}

/** Number and name of the CIs behind these ids (references in attributes, history and pickers). */
export function useCiNames(ids: readonly (string | null | undefined)[]): Map<string, { number: string; name: string }> {
  return useCisByIds(ids).byId;
}

/** Organization names, fetched once each (shared with the organization pickers). */
export function useOrganizationNames(ids: readonly (string | null | undefined)[]): Map<string, string> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))].sort();
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: [...keys.organizations, "detail", id],
      queryFn: () => getOrganization(id),
      staleTime: LONG,
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  unique.forEach((id, i) => {
    const org = results[i]?.data;
    if (org) names.set(id, org.name);
  });
  return names;
}
