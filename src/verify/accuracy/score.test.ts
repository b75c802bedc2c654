import { describe, expect, it } from 'vitest';
import { parseCsv, parseGsml } from './run.ts';
import { scoreMistakes } from './score.ts';
import { detokenize, tokensOverlapping } from './tokens.ts';

describe('accuracy scoring', () => {
  it('recalls a gold mistake by overlap, one detection per gold mistake', () => {
    const gold = [
      { textId: 'A', first: 3, last: 3, type: 'NUMBER' },
      { textId: 'A', first: 10, last: 12, type: 'WORD' },
      { textId: 'A', first: 20, last: 20, type: 'NAME' },
      { textId: 'B', first: 3, last: 3, type: 'NUMBER' },
    ];
    const detected = [
      { textId: 'A', first: 3, last: 4, type: 'NUMBER' }, // recalls gold 1
      { textId: 'A', first: 3, last: 3, type: 'NUMBER' }, // same gold again: a false alarm
      { textId: 'A', first: 12, last: 13, type: 'NUMBER' }, // recalls gold 2 (WORD) with another type
      { textId: 'B', first: 20, last: 20, type: 'NAME' }, // other text: no overlap
      { textId: 'B', first: 4, last: 5, type: 'NUMBER' }, // adjacent, not overlapping
    ];
    const s = scoreMistakes(gold, detected);
    expect(s.overall).toEqual({ gold: 4, detected: 5, recalled: 2, recall: 0.5, precision: 0.4 });
    const word = s.byType.find((t) => t.type === 'WORD');
    expect(word?.any).toMatchObject({ gold: 1, recalled: 1, recall: 1, detected: 0 });
    expect(word?.sameType).toMatchObject({ recalled: 0, recall: 0 });
    const number = s.byType.find((t) => t.type === 'NUMBER');
    expect(number?.any).toMatchObject({ gold: 2, recalled: 1, recall: 0.5, detected: 4, precision: 0.5 });
    expect(number?.sameType).toMatchObject({ recalled: 1, recall: 0.5, precision: 0.25 });
  });

  it('matches one-to-one at most (a wide detection over two gold mistakes recalls one)', () => {
    const gold = [
      { textId: 'A', first: 1, last: 1, type: 'NUMBER' },
      { textId: 'A', first: 2, last: 2, type: 'NUMBER' },
    ];
    const wide = [{ textId: 'A', first: 1, last: 2, type: 'NUMBER' }];
    expect(scoreMistakes(gold, wide).overall).toMatchObject({ recalled: 1, recall: 0.5, precision: 1 });
    // Augmenting: the first detection could take either gold, the second only gold 1.
    const two = [
      { textId: 'A', first: 1, last: 2, type: 'NUMBER' },
      { textId: 'A', first: 1, last: 1, type: 'NUMBER' },
    ];
    expect(scoreMistakes(gold, two).overall).toMatchObject({ recalled: 2, recall: 1, precision: 1 });
  });

  it('rebuilds text from tokens and maps spans back', () => {
    const tokens =
      "The Celtics ( 32 - 18 ) won , 113 - 107 , at the AT & T Center ; Thomas 's 3 - of - 5".split(' ');
    const { text, spans } = detokenize(tokens);
    expect(text).toBe("The Celtics (32-18) won, 113-107, at the AT&T Center; Thomas's 3-of-5");
    const at = text.indexOf('113-107');
    expect(tokensOverlapping(spans, { start: at, end: at + 7 })).toEqual([9, 10, 11]);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(tokens);
  });

  it('reads the gold list with quoted fields', () => {
    const csv =
      'TEXT_ID,SENTENCE_ID,ANNOTATION_ID,TOKENS,SENT_TOKEN_START,SENT_TOKEN_END,DOC_TOKEN_START,DOC_TOKEN_END,TYPE,CORRECTION,COMMENT\n' +
      'S001.txt,1,1,"a , b",1,3,5,7,WORD,,"said ""no"""\n';
    expect(parseCsv(csv)[1]?.[10]).toBe('said "no"');
    expect(parseGsml(csv)).toEqual([{ textId: 'S001', first: 5, last: 7, type: 'WORD' }]);
  });
});
