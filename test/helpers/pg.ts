import { randomBytes } from "node:crypto";

export function randomDbName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The maintenance database on the same server, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  return withDatabaseName(url, "postgres");
}
