import { defineConfig } from "prisma/config";

// Used by `prisma generate` only; the server opens the database itself (lib/db/client.ts)
// and applies migrations at start-up (lib/db/migrate.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/tessitura.db" },
});
