import { z } from 'zod';

/**
 * Amazon Connect's "Invoke AWS Lambda function" event, reduced to what the guide reads: the
 * block's parameters (`LambdaInvocationAttributes`) and the contact's attributes. Anything else in
 * the event is tolerated and ignored, and a malformed event yields empty inputs rather than a throw,
 * because an error thrown into a flow only shows the agent a generic failure.
 */
const stringMap = z
  .record(z.string(), z.unknown())
  .transform((record) =>
    Object.fromEntries(
      Object.entries(record).flatMap(([key, value]) =>
        typeof value === 'string' ? [[key, value]] : typeof value === 'number' ? [[key, String(value)]] : [],
      ),
    ),
  );

const connectFlowEventSchema = z.object({
  Details: z
    .object({
      ContactData: z
        .object({
          ContactId: z.string().optional(),
          InitialContactId: z.string().optional(),
          Attributes: stringMap.optional(),
        })
        .optional(),
      Parameters: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  Name: z.string().optional(),
});

export interface ConnectFlowInput {
  readonly contactId: string;
  /** Block parameters win over contact attributes of the same name: they are the explicit input. */
  get(name: string): string;
  has(name: string): boolean;
  /** A block parameter as Connect sent it, for the structured ones (`$.Views` arrives as an object). */
  raw(name: string): unknown;
}

/** Reads a contact-flow Lambda event into named string inputs. */
export function decodeConnectFlowEvent(event: unknown): ConnectFlowInput {
  const parsed = connectFlowEventSchema.safeParse(event);
  const details = parsed.success ? parsed.data.Details : undefined;
  const attributes = details?.ContactData?.Attributes ?? {};
  const rawParameters = details?.Parameters ?? {};
  const parameters = stringMap.parse(rawParameters);
  const lookup = (name: string) => {
    const fromParameters = parameters[name];
    return fromParameters !== undefined && fromParameters !== '' ? fromParameters : attributes[name];
  };
  return {
    contactId: details?.ContactData?.ContactId ?? '',
    get: (name) => (lookup(name) ?? '').trim(),
    has: (name) => (lookup(name) ?? '').trim() !== '',
    raw: (name) => rawParameters[name],
  };
}
