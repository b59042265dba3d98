import type * as z from 'zod';
import { MalformedEventError } from '../domain/errors.js';

/** JSON.parse that fails with a MalformedEventError naming the layer (`reason`) that was broken. */
export function parseJson(text: string, reason: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new MalformedEventError(`Not valid JSON (${reason})`, reason, { cause });
  }
}

/** Schema validation whose error names the first few offending paths, for the dead-letter reason. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, reason: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new MalformedEventError(`${reason}: ${where}`, reason);
  }
  return result.data;
}
