import PageLoading from "@/components/browse/PageLoading";

export default function Loading() {
  return <PageLoading label="Loading playlists" />;
}
