import Typography from "@mui/material/Typography";
import AlbumFilters from "@/components/browse/AlbumFilters";
import AlbumGrid from "@/components/browse/AlbumGrid";
import EmptyState from "@/components/browse/EmptyState";
import Pager from "@/components/browse/Pager";
import { requirePageUser } from "@/lib/auth/guard";
import { albumCount, albumGenres, albumGrid, parseAlbumGridQuery } from "@/lib/browse/albums";
import { viewerOf } from "@/lib/browse/scope";
import { ALBUM_SORT_LABELS } from "@/lib/browse/types";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AlbumsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser();
  const viewer = await viewerOf(user);
  const q = parseAlbumGridQuery(await searchParams);
  const [{ albums, hasMore }, genres, total] = await Promise.all([albumGrid(viewer, q), albumGenres(viewer), albumCount(viewer)]);
  const base = new URLSearchParams({ sort: q.sort });
  if (q.genre) base.set("genre", q.genre);
  if (q.fromYear !== undefined) base.set("from", String(q.fromYear));
  if (q.toYear !== undefined) base.set("to", String(q.toYear));
  const noLibrary = total === 0;
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Albums
      </Typography>
      {noLibrary ? (
        <EmptyState
          title="No albums yet — add a library"
          hint={user.isAdmin ? "Add a music folder as a library and scan it." : "No library has been shared with you yet; ask an admin."}
          action={user.isAdmin ? { href: "/admin/libraries", label: "Add a library" } : undefined}
        />
      ) : (
        <>
          <AlbumFilters sort={q.sort} genre={q.genre} fromYear={q.fromYear} toYear={q.toYear} genres={genres} />
          {albums.length ? (
            <AlbumGrid albums={albums} />
          ) : (
            <EmptyState
              title={q.sort === "genre" && !q.genre ? "Pick a genre" : `No albums here (${ALBUM_SORT_LABELS[q.sort].toLowerCase()})`}
              hint={q.sort === "frequent" ? "Albums you play show up here." : q.sort === "starred" ? "Star albums to find them here." : undefined}
            />
          )}
          <Pager page={q.page} hasMore={hasMore} base={`/albums?${base}`} />
        </>
      )}
    </>
  );
}
