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
