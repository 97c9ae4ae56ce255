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
    return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 }), errorFormat: "minimal" });
  });
}
