/**
 * The table row types, for modules outside lib/db. The generated Prisma client is imported
 * only inside lib/db (see db-usage.test.ts); everything else names rows through here.
 */
export type { Album, Annotation, ApiKey, Artist, Library, MediaFile, Player, Playlist, PlaylistTrack, Property, ScrobbleBuffer, Session, User, UserLibrary } from "./generated/prisma/client";
