import type { CheckResult } from '../../domain/index.ts';

/** Words a language model says about its own output, never meant for readers. */
const META = [
  /\bhere(?:'s| is| are)\b[^.!?\n]{0,40}\b(?:tweet|post|draft|thread|caption|update|version|options?|message|skeet|toot)\b/i,
  /\bas an ai\b/i,
  /\bas a (?:large )?language model\b/i,
  /^\s*(?:sure|certainly|of course|absolutely)\s*[!,.:]/i,
  /\bi (?:can(?:'|no)t|am unable to|'m unable to) (?:help|provide|verify|write|create)\b/i,
  /\b(?:i hope this helps|let me know if|feel free to)\b/i,
  /\b(?:character count|word count)\s*:/i,
  /^\s*(?:tweet|post|draft|caption|output|answer)\s*:/i,
  /\((?:note|disclaimer)\s*:/i,
];

/** Fails when the text contains assistant chatter ("Here is a tweet", "As an AI", a leading "Sure!"). */
export function checkMetaText(text: string): CheckResult {
  const hit = META.map((re) => re.exec(text)?.[0]).find((m) => m !== undefined);
  return hit === undefined
    ? { check: 'meta_text', ok: true }
    : { check: 'meta_text', ok: false, reason: `meta text: "${hit.trim()}"` };
}
