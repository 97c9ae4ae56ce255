import Typography from "@mui/material/Typography";
import LibraryAdmin from "@/components/libraries/LibraryAdmin";
import { requirePageAdmin } from "@/lib/auth/guard";
import { libraryView, listLibraries } from "@/lib/libraries/libraries";
import { scanStatus } from "@/lib/scanner/scanner";

export const dynamic = "force-dynamic";

export default async function LibrariesPage() {
  await requirePageAdmin();
  const libraries = (await listLibraries()).map(libraryView);
  const status = scanStatus();
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Libraries
      </Typography>
      <LibraryAdmin initialLibraries={libraries} initialStatus={JSON.parse(JSON.stringify(status))} />
    </>
  );
}
