import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import ArtistGrid from "@/components/browse/ArtistGrid";
import EmptyState from "@/components/browse/EmptyState";
import LetterJump from "@/components/browse/LetterJump";
import { artistIndex } from "@/lib/browse/artists";
import { viewerOf } from "@/lib/browse/scope";
import { requirePageUser } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function ArtistsPage() {
  const user = await requirePageUser();
  const groups = await artistIndex(await viewerOf(user));
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Artists
      </Typography>
      {groups.length === 0 ? (
        <EmptyState
          title="No artists yet"
          hint={user.isAdmin ? "Add a library and scan it to fill the catalogue." : "No library has been shared with you yet; ask an admin."}
          action={user.isAdmin ? { href: "/admin/libraries", label: "Add a library" } : undefined}
        />
      ) : (
        <>
          <LetterJump letters={groups.map((g) => g.letter)} />
          {groups.map((g) => (
            <Box key={g.letter} component="section" aria-labelledby={`letter-${g.letter}`} sx={{ mb: 3, scrollMarginTop: 16 }} id={`index-${g.letter === "#" ? "other" : g.letter}`}>
              <Typography id={`letter-${g.letter}`} variant="h5" component="h2" sx={{ borderBottom: 1, borderColor: "divider", mb: 1 }}>
                {g.letter}
              </Typography>
              <ArtistGrid artists={g.artists} />
            </Box>
          ))}
        </>
      )}
    </>
  );
}
