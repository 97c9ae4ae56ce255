import NotFoundState from "@/components/browse/NotFoundState";

export default function ArtistNotFound() {
  return <NotFoundState what="Artist" back={{ href: "/artists", label: "All artists" }} />;
}
