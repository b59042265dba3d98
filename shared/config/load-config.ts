import * as z from 'zod';

/** Thrown once at cold start when the function's environment is incomplete or malformed. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * Parses `env` with `schema` and returns a frozen config, or throws one error that names every
 * missing or malformed variable, so a bad deployment is obvious from the first log line.
 */
export function loadConfig<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
): Readonly<z.infer<T>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigurationError(`Invalid function configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}

/** A JSON-encoded env var validated by `schema`. */
export function jsonEnv<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A positive integer env var with a default. */
export function intEnv(defaultValue: number, min: number, max: number) {
  return z.coerce.number().int().min(min).max(max).default(defaultValue);
}
