-- Issue #17: stream bit-rate caps (kbps, 0 = none) per user and per player.
ALTER TABLE "User" ADD COLUMN "maxBitRate" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Player" ADD COLUMN "maxBitRate" INTEGER NOT NULL DEFAULT 0;
