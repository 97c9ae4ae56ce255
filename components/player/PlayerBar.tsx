"use client";

/** Placeholder: the bottom bar (transport, seek, volume, queue, lyrics) lands with the player. */
export default function PlayerBar() {
  return null;
}
