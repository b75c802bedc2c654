export * from "./telegram.ts";
