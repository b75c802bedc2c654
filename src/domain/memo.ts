/**
 * `fn` with its answers kept, for pure functions of a string that many drafts
 * ask about again (the same names, the same recent posts). At most `max`
 * answers are kept: the table starts over when full, which keeps it cheap and
 * its memory bounded.
 */
export function memoized<T>(fn: (text: string) => T, max: number): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = fn(text);
      if (answers.size >= max) answers.clear();
      answers.set(text, answer);
    }
    return answer;
  };
}
