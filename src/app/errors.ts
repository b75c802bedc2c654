/**
 * An error a user made (bad configuration, bad input file, bad flag). The CLI
 * prints its message without a stack trace and exits with code 2.
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
