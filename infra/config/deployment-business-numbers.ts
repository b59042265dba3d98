import { z } from 'zod';
import { businessNumberSchema } from '../../shared/config/business-numbers.js';
import { phoneNumberIdSchema } from '../../shared/config/template-catalogue-env.js';

const PHONE_NUMBER_ARN =
  /^arn:aws[a-z-]*:social-messaging:[a-z0-9-]+:\d{12}:phone-number-id\/([0-9a-zA-Z]+)$/;

/** `phone-number-id-<id>`, or the phone number's ARN (its Region and account are then checked). */
const phoneNumberIdOrArnSchema = z
  .string()
  .refine((value) => PHONE_NUMBER_ARN.test(value) || phoneNumberIdSchema.safeParse(value).success, {
    message:
      'must look like phone-number-id-<id> or arn:aws:social-messaging:<region>:<account>:phone-number-id/<id>',
  });

/** The EUM Social id of a phone number given as an id or an ARN. */
export function phoneNumberIdOf(value: string): string {
  const fromArn = PHONE_NUMBER_ARN.exec(value)?.[1];
  return fromArn ? `phone-number-id-${fromArn}` : value;
}

/**
 * Business numbers as a builder writes them: `inboundFlowId` may be left out, and then new chats
 * start in the inbound flow this stack deploys (flows/inbound-whatsapp.json).
 */
export const deploymentBusinessNumbersSchema = z
  .array(
    businessNumberSchema.extend({
      phoneNumberId: phoneNumberIdOrArnSchema,
      inboundFlowId: businessNumberSchema.shape.inboundFlowId.optional(),
    }),
  )
  .min(1, 'configure at least one business number')
  .refine(
    (numbers) => new Set(numbers.map((n) => phoneNumberIdOf(n.phoneNumberId))).size === numbers.length,
    {
      message: 'phoneNumberId values must be unique',
    },
  );
