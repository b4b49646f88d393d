import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { type Database, inTransaction, type Tx, txExecutor } from "../db/database.ts";
import type { DomainEvent } from "./events.ts";

/** A small, named, idempotent consumer of outbox events. */
export interface Consumer {
  name: string;
  /** Event types it wants (`user.created`), or `*`. */
  events: readonly string[] | "*";
  /** Runs in a transaction together with the delivery mark: its effect happens once. */
  handle(tx: Tx, event: DomainEvent): Promise<void>;
}

const queueOf = (consumer: string) => `event.${consumer}`;

/** Work that polls the database often (e.g. due SLA escalations); safe on many nodes when it locks what it takes. */
export interface Poller {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** Housekeeping that runs on a cron schedule, once across all nodes. */
export interface PeriodicTask {
  name: string;
  /** Five-field cron, UTC. */
  cron: string;
  run(): Promise<void>;
}
const BATCH = 200;

interface OutboxRow {
  id: string | number;
  type: string;
  entity_type: string;
  entity_id: string;
  payload: unknown;
  actor_id: string | null;
  request_id: string | null;
  source: string;
  created_at: Date;
}

function toEvent(row: OutboxRow): DomainEvent {
  return {
    id: String(row.id),
    type: row.type,
    entityType: row.entity_type,
    entityId: row.entity_id,
    payload: (row.payload ?? {}) as DomainEvent["payload"],
    actorId: row.actor_id,
    requestId: row.request_id,
    source: row.source,
    createdAt: row.created_at,
  };
}

/**
 * Background work on pg-boss, in the same database as the data. The outbox
 * dispatcher moves committed events to one pg-boss queue per consumer, in a
 * transaction that also marks them dispatched; each consumer records its
 * delivery in the transaction of its effect, so a redelivered job is a no-op.
 */
export class Jobs {
  readonly boss: PgBoss;
  readonly #consumers = new Map<string, Consumer>();
  readonly #periodic = new Map<string, PeriodicTask>();
  readonly #pollers: Poller[] = [];
  readonly #pollTimers: NodeJS.Timeout[] = [];
  #timer: NodeJS.Timeout | undefined;
  #dispatching: Promise<number> | undefined;
  #again = false;
  #started = false;
  #working = false;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    private readonly options: { pollMs?: number } = {},
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => database.executeSql(text, values) },
      schedule: true,
      supervise: true,
      migrate: true,
    });
    this.boss.on("error", (err) => this.log.error({ err }, "job queue error"));
  }

  register(consumer: Consumer): void {
    if (this.#started) throw new Error("register consumers before start()");
    if (this.#consumers.has(consumer.name)) throw new Error(`consumer ${consumer.name} registered twice`);
    this.#consumers.set(consumer.name, consumer);
  }

  periodic(task: PeriodicTask): void {
    if (this.#started) throw new Error("register periodic tasks before start()");
    this.#periodic.set(task.name, task);
  }

  poller(p: Poller): void {
    if (this.#started) throw new Error("register pollers before start()");
    this.#pollers.push(p);
  }

  get consumers(): readonly string[] {
    return [...this.#consumers.keys()];
  }

  /** Starts pg-boss; with `work`, also dispatches the outbox and runs the consumers. */
  async start({ work }: { work: boolean }): Promise<void> {
    await this.boss.start();
    this.#started = true;
    for (const name of this.#consumers.keys()) {
      await this.boss.createQueue(queueOf(name), { name: queueOf(name), retryLimit: 5, retryBackoff: true });
    }
    for (const task of this.#periodic.values()) {
      await this.boss.createQueue(task.name, { name: task.name, retryLimit: 2 });
      await this.boss.schedule(task.name, task.cron, {}, { tz: "UTC" });
    }
    if (!work) return;
    this.#working = true;
    for (const task of this.#periodic.values()) {
      await this.boss.work(task.name, async () => {
        await task.run();
      });
    }
    for (const consumer of this.#consumers.values()) {
      await this.boss.work<{ eventId: string }>(
        queueOf(consumer.name),
        { pollingIntervalSeconds: 0.5, batchSize: 20 },
        async (jobs) => {
          // One failing event must not fail (and spend the retries of) the others in its batch:
          // it is failed on its own; the rest complete when this handler returns.
          for (const job of jobs) {
            try {
              await this.deliver(consumer, job.data.eventId);
            } catch (err) {
              this.log.warn({ err, consumer: consumer.name, eventId: job.data.eventId }, "event consumer failed");
              await this.boss.fail(queueOf(consumer.name), job.id, { message: String((err as Error)?.message ?? err) });
            }
          }
        },
      );
    }
    for (const p of this.#pollers) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy || !this.#working) return;
        busy = true;
        p.run()
          .catch((err) => this.log.error({ err, poller: p.name }, "poller failed"))
          .finally(() => {
            busy = false;
          });
      }, p.everyMs);
      timer.unref();
      this.#pollTimers.push(timer);
    }
    const poll = this.options.pollMs ?? 1000;
    this.#timer = setInterval(() => this.nudge(), poll);
    this.#timer.unref();
    this.nudge();
  }

  /** Asks the dispatcher to look at the outbox now (after a commit in this process). */
  nudge(): void {
    if (!this.#working) return;
    if (this.#dispatching) {
      this.#again = true;
      return;
    }
    this.#dispatching = this.dispatch()
      .catch((err) => {
        this.log.error({ err }, "outbox dispatch failed");
        return 0;
      })
      .finally(() => {
        this.#dispatching = undefined;
        if (this.#again) {
          this.#again = false;
          this.nudge();
        }
      });
  }

  /** Moves up to one batch of committed events to the consumers' queues. Returns how many events. */
  async dispatch(): Promise<number> {
    return inTransaction(this.database.db, async (tx) => {
      const rows = (await tx
        .selectFrom("outbox")
        .selectAll()
        .where("dispatched_at", "is", null)
        .orderBy("id")
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute()) as OutboxRow[];
      if (rows.length === 0) return 0;
      const db = txExecutor(tx);
      for (const row of rows) {
        for (const consumer of this.#consumers.values()) {
          if (consumer.events !== "*" && !consumer.events.includes(row.type)) continue;
          await this.boss.send(queueOf(consumer.name), { eventId: String(row.id) }, { db });
        }
      }
      await tx
        .updateTable("outbox")
        .set({ dispatched_at: new Date() })
        .where(
          "id",
          "in",
          rows.map((r) => String(r.id)),
        )
        .execute();
      return rows.length;
    });
  }

  /** Handles one event for one consumer, at most once in effect. Returns false when it was already handled. */
  async deliver(consumer: Consumer, eventId: string): Promise<boolean> {
    return inTransaction(this.database.db, async (tx) => {
      const marked = await tx
        .insertInto("event_deliveries")
        .values({ event_id: eventId, consumer: consumer.name })
        .onConflict((oc) => oc.doNothing())
        .returning("event_id")
        .executeTakeFirst();
      if (!marked) return false;
      const row = (await tx.selectFrom("outbox").selectAll().where("id", "=", eventId).executeTakeFirst()) as
        | OutboxRow
        | undefined;
      if (!row) return false;
      await consumer.handle(tx, toEvent(row));
      return true;
    });
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    for (const t of this.#pollTimers.splice(0)) clearInterval(t);
    this.#working = false;
    await this.#dispatching;
    if (this.#started) await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
    this.#started = false;
  }
}
