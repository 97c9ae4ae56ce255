-- Issue #18 (scale): full-text search and the indexes the list endpoints page through.
-- Written by hand: Prisma's schema language has no virtual tables or triggers. The plain
-- indexes are also declared in prisma/schema.prisma (@@index), so `npm run db:diff` agrees.

-- Search: one FTS5 index per kind over the columns search2/search3 match, as external-content
-- tables (the text stays in Artist/Album/MediaFile; FTS5 keeps only the index) keyed by the
-- row's rowid. unicode61 with remove_diacritics 2 folds case for every script it knows and drops
-- accents ("Beyoncé" = "beyonce", "ÉCHOS" = "echos"); prefix='1 2' keeps one- and two-letter
-- prefix queries ("a*", "be*") from walking the whole term list.
CREATE VIRTUAL TABLE "ArtistFts" USING fts5(
    "name",
    content='Artist', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2'
);
CREATE VIRTUAL TABLE "AlbumFts" USING fts5(
    "name", "albumArtist",
    content='Album', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2'
);
CREATE VIRTUAL TABLE "MediaFileFts" USING fts5(
    "title", "artist", "album",
    content='MediaFile', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2'
);

-- Kept in sync by triggers, so every write path (the scanner's prepared statements, Prisma,
-- a manual edit) updates the index. Updates re-index only when a searched column changed.
-- An external-content index must be told the OLD values to remove them ('delete' command).
CREATE TRIGGER "Artist_fts_insert" AFTER INSERT ON "Artist" BEGIN
    INSERT INTO "ArtistFts" (rowid, "name") VALUES (new.rowid, new."name");
END;
CREATE TRIGGER "Artist_fts_delete" AFTER DELETE ON "Artist" BEGIN
    INSERT INTO "ArtistFts" ("ArtistFts", rowid, "name") VALUES ('delete', old.rowid, old."name");
END;
CREATE TRIGGER "Artist_fts_update" AFTER UPDATE OF "name" ON "Artist" WHEN old."name" IS NOT new."name" BEGIN
    INSERT INTO "ArtistFts" ("ArtistFts", rowid, "name") VALUES ('delete', old.rowid, old."name");
    INSERT INTO "ArtistFts" (rowid, "name") VALUES (new.rowid, new."name");
END;

CREATE TRIGGER "Album_fts_insert" AFTER INSERT ON "Album" BEGIN
    INSERT INTO "AlbumFts" (rowid, "name", "albumArtist") VALUES (new.rowid, new."name", new."albumArtist");
END;
CREATE TRIGGER "Album_fts_delete" AFTER DELETE ON "Album" BEGIN
    INSERT INTO "AlbumFts" ("AlbumFts", rowid, "name", "albumArtist") VALUES ('delete', old.rowid, old."name", old."albumArtist");
END;
CREATE TRIGGER "Album_fts_update" AFTER UPDATE OF "name", "albumArtist" ON "Album"
WHEN old."name" IS NOT new."name" OR old."albumArtist" IS NOT new."albumArtist" BEGIN
    INSERT INTO "AlbumFts" ("AlbumFts", rowid, "name", "albumArtist") VALUES ('delete', old.rowid, old."name", old."albumArtist");
    INSERT INTO "AlbumFts" (rowid, "name", "albumArtist") VALUES (new.rowid, new."name", new."albumArtist");
END;

CREATE TRIGGER "MediaFile_fts_insert" AFTER INSERT ON "MediaFile" BEGIN
    INSERT INTO "MediaFileFts" (rowid, "title", "artist", "album") VALUES (new.rowid, new."title", new."artist", new."album");
END;
CREATE TRIGGER "MediaFile_fts_delete" AFTER DELETE ON "MediaFile" BEGIN
    INSERT INTO "MediaFileFts" ("MediaFileFts", rowid, "title", "artist", "album") VALUES ('delete', old.rowid, old."title", old."artist", old."album");
END;
CREATE TRIGGER "MediaFile_fts_update" AFTER UPDATE OF "title", "artist", "album" ON "MediaFile"
WHEN old."title" IS NOT new."title" OR old."artist" IS NOT new."artist" OR old."album" IS NOT new."album" BEGIN
    INSERT INTO "MediaFileFts" ("MediaFileFts", rowid, "title", "artist", "album") VALUES ('delete', old.rowid, old."title", old."artist", old."album");
    INSERT INTO "MediaFileFts" (rowid, "title", "artist", "album") VALUES (new.rowid, new."title", new."artist", new."album");
END;

-- Index what is already there (a database upgraded with its library in place).
INSERT INTO "ArtistFts" ("ArtistFts") VALUES ('rebuild');
INSERT INTO "AlbumFts" ("AlbumFts") VALUES ('rebuild');
INSERT INTO "MediaFileFts" ("MediaFileFts") VALUES ('rebuild');

-- Album lists: "newest" walks createdAt, "byYear" maxYear (ties sorted by the rest of the
-- ORDER BY); getIndexes/getArtists read the album artists of some libraries from this index alone.
CREATE INDEX "Album_createdAt_idx" ON "Album"("createdAt");
CREATE INDEX "Album_maxYear_idx" ON "Album"("maxYear");
CREATE INDEX "Album_libraryId_albumArtistId_idx" ON "Album"("libraryId", "albumArtistId");
