export * from "./bluesky.ts";
