-- CreateTable
CREATE TABLE "PluginPackage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pluginId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PluginPendingUpdate" (
    "pluginId" TEXT NOT NULL PRIMARY KEY,
    "version" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "diff" TEXT NOT NULL,
    "releaseNotes" TEXT,
    "stagedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "PluginPackage_pluginId_installedAt_idx" ON "PluginPackage"("pluginId", "installedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PluginPackage_pluginId_sha256_key" ON "PluginPackage"("pluginId", "sha256");
