"use client";
import { createContext, useContext, type ReactNode } from "react";
import type { PlayerApi } from "./player-types";

// Placeholder until the player lands: same interface, does nothing.
const noop: PlayerApi = {
  playTracks() {},
  addNext() {},
  addToEnd() {},
  async instantMix() {},
  current: null,
};

const PlayerContext = createContext<PlayerApi>(noop);

/** The browse pages' handle on the player. */
export function usePlayer(): PlayerApi {
  return useContext(PlayerContext);
}

export default function PlayerProvider({ children }: { children: ReactNode }) {
  return <PlayerContext.Provider value={noop}>{children}</PlayerContext.Provider>;
}
