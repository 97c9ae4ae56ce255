-- CreateTable
CREATE TABLE "Property" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userName" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "password" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "tokenGeneration" INTEGER NOT NULL DEFAULT 0,
    "lastLoginAt" DATETIME,
    "lastAccessAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Library" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "lastScanAt" DATETIME,
    "lastScanStartedAt" DATETIME,
    "totalSongs" INTEGER NOT NULL DEFAULT 0,
    "totalAlbums" INTEGER NOT NULL DEFAULT 0,
    "totalArtists" INTEGER NOT NULL DEFAULT 0,
    "totalSize" BIGINT NOT NULL DEFAULT 0,
    "totalDuration" REAL NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UserLibrary" (
    "userId" TEXT NOT NULL,
    "libraryId" INTEGER NOT NULL,

    PRIMARY KEY ("userId", "libraryId"),
    CONSTRAINT "UserLibrary_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UserLibrary_libraryId_fkey" FOREIGN KEY ("libraryId") REFERENCES "Library" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Artist" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "sortName" TEXT NOT NULL DEFAULT '',
    "orderName" TEXT NOT NULL DEFAULT '',
    "mbzArtistId" TEXT NOT NULL DEFAULT '',
    "albumCount" INTEGER NOT NULL DEFAULT 0,
    "songCount" INTEGER NOT NULL DEFAULT 0,
    "size" BIGINT NOT NULL DEFAULT 0,
    "biography" TEXT NOT NULL DEFAULT '',
    "smallImageUrl" TEXT NOT NULL DEFAULT '',
    "mediumImageUrl" TEXT NOT NULL DEFAULT '',
    "largeImageUrl" TEXT NOT NULL DEFAULT '',
    "externalUrl" TEXT NOT NULL DEFAULT '',
    "similarArtists" TEXT NOT NULL DEFAULT '[]',
    "externalInfoUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Album" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "libraryId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sortName" TEXT NOT NULL DEFAULT '',
    "orderName" TEXT NOT NULL DEFAULT '',
    "albumArtistId" TEXT NOT NULL,
    "albumArtist" TEXT NOT NULL DEFAULT '',
    "minYear" INTEGER NOT NULL DEFAULT 0,
    "maxYear" INTEGER NOT NULL DEFAULT 0,
    "genre" TEXT NOT NULL DEFAULT '',
    "genres" TEXT NOT NULL DEFAULT '[]',
    "songCount" INTEGER NOT NULL DEFAULT 0,
    "duration" REAL NOT NULL DEFAULT 0,
    "size" BIGINT NOT NULL DEFAULT 0,
    "mbzAlbumId" TEXT NOT NULL DEFAULT '',
    "mbzReleaseGroupId" TEXT NOT NULL DEFAULT '',
    "coverArtPath" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "externalUrl" TEXT NOT NULL DEFAULT '',
    "smallImageUrl" TEXT NOT NULL DEFAULT '',
    "mediumImageUrl" TEXT NOT NULL DEFAULT '',
    "largeImageUrl" TEXT NOT NULL DEFAULT '',
    "externalInfoUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Album_libraryId_fkey" FOREIGN KEY ("libraryId") REFERENCES "Library" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MediaFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "libraryId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "album" TEXT NOT NULL DEFAULT '',
    "albumId" TEXT NOT NULL,
    "artist" TEXT NOT NULL DEFAULT '',
    "artistId" TEXT NOT NULL,
    "albumArtist" TEXT NOT NULL DEFAULT '',
    "albumArtistId" TEXT NOT NULL,
    "participants" TEXT NOT NULL DEFAULT '[]',
    "trackNumber" INTEGER NOT NULL DEFAULT 0,
    "discNumber" INTEGER NOT NULL DEFAULT 0,
    "year" INTEGER NOT NULL DEFAULT 0,
    "genre" TEXT NOT NULL DEFAULT '',
    "genres" TEXT NOT NULL DEFAULT '[]',
    "duration" REAL NOT NULL DEFAULT 0,
    "bitRate" INTEGER NOT NULL DEFAULT 0,
    "sampleRate" INTEGER NOT NULL DEFAULT 0,
    "channels" INTEGER NOT NULL DEFAULT 0,
    "size" BIGINT NOT NULL DEFAULT 0,
    "suffix" TEXT NOT NULL DEFAULT '',
    "contentType" TEXT NOT NULL DEFAULT '',
    "hasCoverArt" BOOLEAN NOT NULL DEFAULT false,
    "mbzRecordingId" TEXT NOT NULL DEFAULT '',
    "mbzReleaseTrackId" TEXT NOT NULL DEFAULT '',
    "mbzAlbumId" TEXT NOT NULL DEFAULT '',
    "mbzReleaseGroupId" TEXT NOT NULL DEFAULT '',
    "mbzArtistId" TEXT NOT NULL DEFAULT '',
    "mbzAlbumArtistId" TEXT NOT NULL DEFAULT '',
    "isrc" TEXT NOT NULL DEFAULT '',
    "lyrics" TEXT NOT NULL DEFAULT '[]',
    "mtime" DATETIME NOT NULL,
    "missing" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MediaFile_libraryId_fkey" FOREIGN KEY ("libraryId") REFERENCES "Library" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Annotation" (
    "userId" TEXT NOT NULL,
    "itemType" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "starred" BOOLEAN NOT NULL DEFAULT false,
    "starredAt" DATETIME,
    "rating" INTEGER NOT NULL DEFAULT 0,
    "playCount" INTEGER NOT NULL DEFAULT 0,
    "playDate" DATETIME,

    PRIMARY KEY ("userId", "itemType", "itemId"),
    CONSTRAINT "Annotation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Playlist" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "public" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Playlist_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlaylistTrack" (
    "playlistId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "mediaFileId" TEXT NOT NULL,

    PRIMARY KEY ("playlistId", "position"),
    CONSTRAINT "PlaylistTrack_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Player" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "userId" TEXT NOT NULL,
    "client" TEXT NOT NULL,
    "ip" TEXT NOT NULL DEFAULT '',
    "scrobbleEnabled" BOOLEAN NOT NULL DEFAULT true,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Player_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Plugin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "path" TEXT NOT NULL,
    "manifest" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '',
    "users" TEXT NOT NULL DEFAULT '',
    "allUsers" BOOLEAN NOT NULL DEFAULT false,
    "libraries" TEXT NOT NULL DEFAULT '',
    "allLibraries" BOOLEAN NOT NULL DEFAULT false,
    "allowWriteAccess" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "lastError" TEXT NOT NULL DEFAULT '',
    "sha256" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ScrobbleBuffer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "service" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "mediaFileId" TEXT NOT NULL,
    "playTime" DATETIME NOT NULL,
    "enqueueTime" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "User_userName_key" ON "User"("userName");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE UNIQUE INDEX "Library_name_key" ON "Library"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Library_path_key" ON "Library"("path");

-- CreateIndex
CREATE INDEX "Artist_orderName_idx" ON "Artist"("orderName");

-- CreateIndex
CREATE INDEX "Album_albumArtistId_idx" ON "Album"("albumArtistId");

-- CreateIndex
CREATE INDEX "Album_orderName_idx" ON "Album"("orderName");

-- CreateIndex
CREATE INDEX "MediaFile_albumId_idx" ON "MediaFile"("albumId");

-- CreateIndex
CREATE INDEX "MediaFile_artistId_idx" ON "MediaFile"("artistId");

-- CreateIndex
CREATE INDEX "MediaFile_title_idx" ON "MediaFile"("title");

-- CreateIndex
CREATE UNIQUE INDEX "MediaFile_libraryId_path_key" ON "MediaFile"("libraryId", "path");

-- CreateIndex
CREATE INDEX "Annotation_itemType_starred_idx" ON "Annotation"("itemType", "starred");

-- CreateIndex
CREATE UNIQUE INDEX "Player_userId_client_userAgent_key" ON "Player"("userId", "client", "userAgent");

-- CreateIndex
CREATE INDEX "ScrobbleBuffer_service_enqueueTime_idx" ON "ScrobbleBuffer"("service", "enqueueTime");

-- CreateIndex
CREATE UNIQUE INDEX "ScrobbleBuffer_service_userId_mediaFileId_playTime_key" ON "ScrobbleBuffer"("service", "userId", "mediaFileId", "playTime");
