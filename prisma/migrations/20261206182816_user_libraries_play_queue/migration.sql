-- Issue #17: "all libraries" per user (covers libraries added later). Existing users keep what
-- they had: off, so only their assigned libraries; the admin API creates users with it on.
ALTER TABLE "User" ADD COLUMN "allLibraries" BOOLEAN NOT NULL DEFAULT false;

-- Issue #17: one saved play queue per user (Subsonic savePlayQueue/getPlayQueue).
CREATE TABLE "PlayQueue" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "items" TEXT NOT NULL DEFAULT '[]',
    "current" INTEGER NOT NULL DEFAULT 0,
    "position" BIGINT NOT NULL DEFAULT 0,
    "changedBy" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PlayQueue_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
