import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Database, Db } from "../db/database.ts";
import type { Jobs } from "./jobs.ts";

/** What modules are given: explicit dependencies, no container. */
export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  jobs: Jobs;
  log: Logger;
  /** The time; tests may pin it. */
  now(): Date;
}
