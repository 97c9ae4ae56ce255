import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { remember } from "../server/remember";

export type { PrismaClient };
export type Db = PrismaClient;

let databaseFile: string | null = null;

/** Sets the SQLite file the client opens; called once by boot before the first query. */
export function configureDatabase(file: string): void {
  databaseFile = file;
}

/** Closes the client's connection (shutdown); the next query opens it again. */
export async function disconnectDatabase(): Promise<void> {
  await db().$disconnect();
}

/** The one Prisma client of the process. */
export function db(): PrismaClient {
  return remember("prisma", () => {
    const file = databaseFile ?? process.env.TESSITURA_DATABASE_FILE;
    if (!file) throw new Error("database not configured: the server has not booted");
    // "minimal": no call-site rendering (it reads stack frames and fails outside Next under some loaders).
    return new PrismaClient({ adapter: countingAdapter(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 })), errorFormat: "minimal" });
  });
}

// ---- query counting (tests and benchmarks: "no N+1 per request", issue #18)

/** The counter `startQueryCount` installed, if any: one `null` check per SQL statement otherwise. */
let queryCounter: { n: number } | null = null;

/**
 * Counts the SQL statements the Prisma client sends from now until `stop()`, which answers
 * the count. One counter at a time (a new start replaces it): meant for tests and benches
 * that issue one request at a time.
 */
export function startQueryCount(): { stop: () => number } {
  const counter = { n: 0 };
  queryCounter = counter;
  return {
    stop: () => {
      if (queryCounter === counter) queryCounter = null;
      return counter.n;
    },
  };
}

type Queryable = { queryRaw: (q: never) => Promise<unknown>; executeRaw: (q: never) => Promise<unknown> };

/** Wraps a connection's (or transaction's) statement methods to bump the active counter. */
function counted<T extends Queryable>(q: T): T {
  const queryRaw = q.queryRaw.bind(q);
  const executeRaw = q.executeRaw.bind(q);
  q.queryRaw = ((query: never) => (queryCounter && queryCounter.n++, queryRaw(query))) as T["queryRaw"];
  q.executeRaw = ((query: never) => (queryCounter && queryCounter.n++, executeRaw(query))) as T["executeRaw"];
  return q;
}

/** The adapter factory with every connection and transaction it opens counted. */
function countingAdapter(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const conn = counted(await connect());
    const startTransaction = conn.startTransaction.bind(conn);
    conn.startTransaction = async (...args) => counted(await startTransaction(...args));
    return conn;
  };
  return factory;
}
