import { Conflict, Invalid } from "./errors.ts";

/** The version a write is based on: `version` in the body or `If-Match`; both must agree when both are sent. */
export function expectedVersion(bodyVersion: number | undefined, ifMatch: number | undefined): number {
  if (bodyVersion !== undefined && ifMatch !== undefined && bodyVersion !== ifMatch) {
    throw new Conflict("body.version and If-Match disagree", [
      { field: "body.version", message: "differs from If-Match" },
    ]);
  }
  const v = bodyVersion ?? ifMatch;
  if (v === undefined)
    throw new Invalid([{ field: "body.version", message: "send the version you edited (or If-Match)" }]);
  return v;
}

/** The entries of `patch` that are set and differ from `row`: an update that changes nothing writes nothing. */
export function changedOnly<T extends Record<string, unknown>>(row: object, patch: T): Partial<T> {
  const current = row as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(patch).filter(
      ([key, value]) => value !== undefined && JSON.stringify(current[key]) !== JSON.stringify(value),
    ),
  ) as Partial<T>;
}

export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
