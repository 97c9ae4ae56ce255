"use client";
import EmptyState from "./EmptyState";

/** A listener page's not-found.tsx: the item is absent, or in a library the user may not see (not told apart). */
export default function NotFoundState({ what, back }: { what: string; back: { href: string; label: string } }) {
  return <EmptyState title={`${what} not found`} hint="It may have been removed, or it is in a library you cannot browse." action={back} />;
}
