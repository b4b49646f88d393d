import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Database, Db, Executor } from "../db/database.ts";
import type { Jobs } from "./jobs.ts";
import type { SecretBox } from "./secret-box.ts";

/** What modules are given: explicit dependencies, no container. */
export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  jobs: Jobs;
  log: Logger;
  /** Seals the passwords Steward keeps for other servers (IMAP, SMTP). */
  secrets: SecretBox;
  /** The time; tests may pin it. */
  now(): Date;
  /** Questions one module answers for another that may not import it (wired in runtime.ts). */
  lookups: Lookups;
}

export interface Lookups {
  /** Is this id a business service CI? (The CMDB answers; SLA policies match on services.) */
  isBusinessService(db: Executor, id: string): Promise<boolean>;
}
