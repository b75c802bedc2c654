import pino, { type Logger } from 'pino';

/**
 * Paths whose values are never logged. Secrets come in under these names from
 * configuration, credentials and HTTP headers.
 */
export const REDACT_PATHS = [
  'secret',
  'secrets',
  'token',
  'password',
  'apiKey',
  'authorization',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.apiKey',
  '*.appSecret',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'credentials.*.secrets',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'wirereport' },
    },
    options.destination,
  );
}
