import NotFoundState from "@/components/browse/NotFoundState";

export default function PlaylistNotFound() {
  return <NotFoundState what="Playlist" back={{ href: "/playlists", label: "All playlists" }} />;
}
