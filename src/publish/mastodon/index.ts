export * from "./mastodon.ts";
