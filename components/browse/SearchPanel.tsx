"use client";
import InputAdornment from "@mui/material/InputAdornment";
import LinearProgress from "@mui/material/LinearProgress";
import SearchIcon from "@mui/icons-material/Search";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { apiFetch } from "@/components/common/api";
import type { SearchResults } from "@/lib/browse/types";
import AlbumGrid from "./AlbumGrid";
import ArtistGrid from "./ArtistGrid";
import SongList from "./SongList";

const DEBOUNCE_MS = 250;

/**
 * Search as you type: each pause in typing asks /api/browse/search (an older answer arriving
 * late is dropped), and the query is kept in the address (`?q=`) so back and reload keep it.
 */
export default function SearchPanel({ initialQuery, initialResults }: { initialQuery: string; initialResults: SearchResults | null }) {
  const pathname = usePathname();
  const [query, setQuery] = useState(initialQuery);
  const [results, setResults] = useState<SearchResults | null>(initialResults);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  // The query the results on screen answer (the server answered the one the page opened with).
  const shown = useRef(initialQuery.trim());

  useEffect(() => {
    const q = query.trim();
    if (q === shown.current) return;
    const ticket = ++latest.current;
    const timer = setTimeout(async () => {
      shown.current = q;
      // History only (no server render of the page again): Next keeps its router in sync with replaceState.
      window.history.replaceState(null, "", q ? `${pathname}?q=${encodeURIComponent(q)}` : pathname);
      if (!q) {
        setResults(null);
        return;
      }
      setLoading(true);
      try {
        const found = await apiFetch<SearchResults>(`/api/browse/search?q=${encodeURIComponent(q)}`);
        if (ticket === latest.current) {
          setResults(found);
          setError(null);
        }
      } catch (err) {
        if (ticket === latest.current) setError((err as Error).message);
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, pathname]);

  const empty = results && !results.artists.length && !results.albums.length && !results.songs.length;
  return (
    <>
      <TextField
        fullWidth
        autoFocus
        type="search"
        label="Search artists, albums and songs"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon /></InputAdornment> }, htmlInput: { maxLength: 200 } }}
      />
      <Box sx={{ height: 4, mt: 0.5 }}>{loading && <LinearProgress aria-label="Searching" />}</Box>
      {error && <Alert severity="error">{error}</Alert>}
      <Box aria-live="polite" sx={{ mt: 2 }}>
        {empty && <Typography color="text.secondary">Nothing matches “{query.trim()}”.</Typography>}
        {results && results.artists.length > 0 && (
          <Box component="section" aria-labelledby="search-artists" sx={{ mb: 4 }}>
            <Typography id="search-artists" variant="h6" component="h2" gutterBottom>
              Artists
            </Typography>
            <ArtistGrid artists={results.artists} />
          </Box>
        )}
        {results && results.albums.length > 0 && (
          <Box component="section" aria-labelledby="search-albums" sx={{ mb: 4 }}>
            <Typography id="search-albums" variant="h6" component="h2" gutterBottom>
              Albums
            </Typography>
            <AlbumGrid albums={results.albums} />
          </Box>
        )}
        {results && results.songs.length > 0 && (
          <Box component="section" aria-labelledby="search-songs">
            <Typography id="search-songs" variant="h6" component="h2" gutterBottom>
              Songs
            </Typography>
            <SongList songs={results.songs} showAlbum label="Matching songs" />
          </Box>
        )}
      </Box>
    </>
  );
}
