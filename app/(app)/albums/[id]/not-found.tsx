import NotFoundState from "@/components/browse/NotFoundState";

export default function AlbumNotFound() {
  return <NotFoundState what="Album" back={{ href: "/albums", label: "All albums" }} />;
}
