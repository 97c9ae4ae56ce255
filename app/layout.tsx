import type { Metadata } from "next";
import type { ReactNode } from "react";
import ThemeRegistry from "@/components/layout/ThemeRegistry";

export const metadata: Metadata = {
  title: "Tessitura",
  description: "Music server with Navidrome-compatible WebAssembly plugins",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ThemeRegistry>{children}</ThemeRegistry>
      </body>
    </html>
  );
}
