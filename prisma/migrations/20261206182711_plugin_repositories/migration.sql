-- CreateTable
CREATE TABLE "PluginRepository" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "url" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'admin',
    "name" TEXT,
    "catalog" TEXT,
    "etag" TEXT,
    "fetchedAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "PluginRepository_url_key" ON "PluginRepository"("url");
