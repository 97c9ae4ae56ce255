"use client";
import AppBar from "@mui/material/AppBar";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Container from "@mui/material/Container";
import Toolbar from "@mui/material/Toolbar";
import Typography from "@mui/material/Typography";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";

export interface ShellUser {
  userName: string;
  isAdmin: boolean;
}

/** What every listener browses; the player pages live under app/(app). */
const listenerLinks = [
  { href: "/albums", label: "Albums" },
  { href: "/artists", label: "Artists" },
  { href: "/playlists", label: "Playlists" },
  { href: "/starred", label: "Starred" },
  { href: "/search", label: "Search" },
];

const adminLinks = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/libraries", label: "Libraries" },
  { href: "/admin/plugins", label: "Plugins" },
  { href: "/admin/catalog", label: "Catalog" },
  { href: "/admin/settings", label: "Settings" },
];

export default function AppShell({ user, children, footer }: { user: ShellUser; children: ReactNode; footer?: ReactNode }) {
  const router = useRouter();
  async function logout() {
    await fetch("/auth/logout", { method: "POST" });
    router.push("/login");
    router.refresh();
  }
  return (
    <Box>
      <AppBar position="static" elevation={0}>
        <Toolbar sx={{ gap: 1 }}>
          <Typography variant="h6" component={Link} href="/" sx={{ color: "inherit", textDecoration: "none", mr: 3 }}>
            Tessitura
          </Typography>
          <Box component="nav" aria-label="Library" sx={{ display: "flex", gap: 0.5 }}>
            {listenerLinks.map((l) => (
              <Button key={l.href} color="inherit" component={Link} href={l.href}>
                {l.label}
              </Button>
            ))}
          </Box>
          {user.isAdmin &&
            adminLinks.map((l) => (
              <Button key={l.href} color="inherit" component={Link} href={l.href}>
                {l.label}
              </Button>
            ))}
          <Box sx={{ flexGrow: 1 }} />
          <Button color="inherit" component={Link} href="/account" sx={{ mr: 1, textTransform: "none" }} aria-label="your account">
            <Typography variant="body2" data-testid="current-user">
              {user.userName}
            </Typography>
          </Button>
          <Button color="inherit" variant="outlined" size="small" onClick={logout}>
            Log out
          </Button>
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="lg" sx={{ py: 3, pb: footer ? 14 : 3 }}>
        {children}
      </Container>
      {footer}
    </Box>
  );
}
