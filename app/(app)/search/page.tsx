import Typography from "@mui/material/Typography";
import SearchPanel from "@/components/browse/SearchPanel";
import { requirePageUser } from "@/lib/auth/guard";
import { viewerOf } from "@/lib/browse/scope";
import { searchBrowse } from "@/lib/browse/search";

export const dynamic = "force-dynamic";

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const user = await requirePageUser();
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  const results = q.trim() ? await searchBrowse(await viewerOf(user), q) : null;
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Search
      </Typography>
      <SearchPanel initialQuery={q} initialResults={results} />
    </>
  );
}
