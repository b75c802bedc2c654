import { render } from './render.ts';
import type { WriteRequest, Writer, WrittenDraft } from './writer.ts';

/**
 * The template writer's synchronous core: a pure function of the request (no network, no clock, no
 * randomness), so the same request always yields the same draft. Every fact it states comes from
 * `req.event` (its scores, clock, period, players' stat lines, `detail`, and `event.game`).
 *
 * @throws TemplateError when no phrasing can be rendered clean and within `req.maxLength`.
 */
export function writeFromTemplate(req: WriteRequest): WrittenDraft {
  const { text, templateId } = render(req);
  return { text, writer: 'template', templateId, variant: req.variant };
}

/** The default writer (name "template"), also the fallback when LLM writers fail. */
export function createDeterministicWriter(): Writer {
  return {
    name: 'template',
    write: async (req) => writeFromTemplate(req),
  };
}
