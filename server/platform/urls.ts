import type { Config } from "../config.ts";

/** The base of links in e-mail (`STEWARD_PUBLIC_URL`), without a trailing slash. */
export function publicUrlOf(config: Pick<Config, "publicUrl" | "port">): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, "");
}
