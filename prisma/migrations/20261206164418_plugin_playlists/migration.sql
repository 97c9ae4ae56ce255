-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Playlist" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "public" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "pluginId" TEXT NOT NULL DEFAULT '',
    "pluginPlaylistId" TEXT NOT NULL DEFAULT '',
    "validUntil" DATETIME,
    "syncedAt" DATETIME,
    CONSTRAINT "Playlist_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Playlist" ("comment", "createdAt", "id", "name", "ownerId", "public", "updatedAt") SELECT "comment", "createdAt", "id", "name", "ownerId", "public", "updatedAt" FROM "Playlist";
DROP TABLE "Playlist";
ALTER TABLE "new_Playlist" RENAME TO "Playlist";
CREATE INDEX "Playlist_pluginId_idx" ON "Playlist"("pluginId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
