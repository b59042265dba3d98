import { z } from 'zod';

/** The EUM Social WABA: `waba-<id>` or its ARN, both of which the template APIs accept. */
export const wabaIdSchema = z
  .string()
  .regex(
    /^(waba-[0-9a-zA-Z]+|arn:aws[a-z-]*:social-messaging:[a-z0-9-]+:\d{12}:waba\/[0-9a-zA-Z]+)$/,
    'must be waba-<id> or arn:aws:social-messaging:<region>:<account>:waba/<id>',
  );

/** EUM Social phone number id, `phone-number-id-<id>`. */
export const phoneNumberIdSchema = z
  .string()
  .regex(/^phone-number-id-[0-9a-zA-Z]+$/, 'must look like phone-number-id-<id>');

/** Meta Graph API version as SendWhatsAppMessage takes it. */
export const metaApiVersionSchema = z.string().regex(/^v\d+\.\d+$/, 'must look like v23.0');

/** A comma-separated list env var; empty means "no list". */
export function listEnv() {
  return z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .transform((items) => (items.length > 0 ? items : undefined));
}
