/**
 * The write stage: turns an event into a post in an account's voice. The template writer
 * (`createDeterministicWriter`, name "template") needs no network and is the fallback of every other
 * writer; `measureLength`, `avoidMatcher` and `assertClean` are the rules any writer's output must meet.
 */
export { createDeterministicWriter, writeFromTemplate } from './deterministic.ts';
export { measureLength } from './measure.ts';
export { assertClean } from './render.ts';
export { avoidMatcher, hashtagsOf, speaksLanguage } from './voice.ts';
export { TemplateError, type WriteRequest, type Writer, type WrittenDraft } from './writer.ts';
