import { createHash } from "node:crypto";
import type { Executor } from "../db/database.ts";

/** Content-addressed storage: one row per SHA-256 digest, shared by attachments and raw mail. */
export function sha256Of(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export async function putBlob(db: Executor, data: Buffer): Promise<string> {
  const sha256 = sha256Of(data);
  await db
    .insertInto("attachment_blobs")
    .values({ sha256, size: data.length, data })
    .onConflict((oc) => oc.column("sha256").doNothing())
    .execute();
  return sha256;
}

export async function getBlob(db: Executor, sha256: string): Promise<Buffer | null> {
  const row = await db.selectFrom("attachment_blobs").select("data").where("sha256", "=", sha256).executeTakeFirst();
  return row ? Buffer.from(row.data) : null;
}
