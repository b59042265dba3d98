import { z } from 'zod';
import { wabaIdSchema } from './template-catalogue-env.js';

/**
 * The properties of the `Custom::WabaEventDestination` resource: infra sets them under these
 * names, and the function reads them with the schema below, so the two cannot drift apart.
 */
export const EVENT_DESTINATION_PROPERTIES = {
  wabaId: 'WabaId',
  topicArn: 'TopicArn',
  takeOver: 'TakeOverEventDestination',
} as const;

const propertiesSchema = z.object({
  [EVENT_DESTINATION_PROPERTIES.wabaId]: wabaIdSchema,
  [EVENT_DESTINATION_PROPERTIES.topicArn]: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'must be an SNS topic ARN'),
  // CloudFormation hands custom resources their booleans as strings.
  [EVENT_DESTINATION_PROPERTIES.takeOver]: z.union([z.boolean(), z.enum(['true', 'false'])]).default(false),
});

/** The decoded properties: which WABA, which topic, and whether to replace someone else's destination. */
export interface EventDestinationProperties {
  readonly wabaId: string;
  readonly topicArn: string;
  readonly takeOver: boolean;
}

/** Thrown when the custom resource's properties are missing or malformed, naming each problem. */
export class EventDestinationPropertiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventDestinationPropertiesError';
  }
}

/** Reads the custom resource's ResourceProperties (or OldResourceProperties). */
export function readEventDestinationProperties(raw: unknown): EventDestinationProperties {
  const result = propertiesSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(properties)'}: ${issue.message}`,
    );
    throw new EventDestinationPropertiesError(`Invalid event destination properties: ${problems.join('; ')}`);
  }
  const data = result.data;
  const takeOver = data[EVENT_DESTINATION_PROPERTIES.takeOver];
  return {
    wabaId: data[EVENT_DESTINATION_PROPERTIES.wabaId],
    topicArn: data[EVENT_DESTINATION_PROPERTIES.topicArn],
    takeOver: takeOver === true || takeOver === 'true',
  };
}
