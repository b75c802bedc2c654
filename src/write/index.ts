export { createDeterministicWriter, writeFromTemplate } from './deterministic.ts';
export { measureLength } from './measure.ts';
export { assertClean } from './render.ts';
export { TemplateError, type WriteRequest, type Writer, type WrittenDraft } from './writer.ts';
