import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import ThemeRegistry from "@/components/layout/ThemeRegistry";

export const metadata: Metadata = {
  title: "Tessitura",
  applicationName: "Tessitura",
  description: "Music server with Navidrome-compatible WebAssembly plugins",
  // public/ (drawn by scripts/make-icons.mjs); the manifest makes the player installable.
  manifest: "/manifest.webmanifest",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export const viewport: Viewport = { themeColor: "#5b3cc4" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ThemeRegistry>{children}</ThemeRegistry>
      </body>
    </html>
  );
}
