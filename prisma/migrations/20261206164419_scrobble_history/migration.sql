-- CreateTable
CREATE TABLE "Scrobble" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "mediaFileId" TEXT NOT NULL,
    "submissionTime" BIGINT NOT NULL,
    CONSTRAINT "Scrobble_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Scrobble_mediaFileId_fkey" FOREIGN KEY ("mediaFileId") REFERENCES "MediaFile" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Scrobble_userId_submissionTime_idx" ON "Scrobble"("userId", "submissionTime");
