import type { z } from 'zod';
import { instanceParts } from './instance-arn.js';

/**
 * EUM Social needs the WABA, its phone numbers and the media bucket it copies into in one Region
 * and account ("The Amazon S3 bucket must be in the same AWS account and AWS Region as your
 * WhatsApp Business Account", GetWhatsAppMessageMedia; "A WABA can only exist in one AWS Region",
 * EUM Social user guide). The stack deploys to the Connect instance's Region and account, so every
 * configured ARN (or the explicit `eumSocialRegion`) must name them, and one of the two must be given.
 */
export function checkEumSocialRegion(
  config: {
    connectInstanceArn: string;
    whatsAppBusinessAccountId: string;
    businessNumbers: { phoneNumberId: string }[];
    eumSocialRegion?: string | undefined;
  },
  context: z.RefinementCtx,
): void {
  const stack = instanceParts(config.connectInstanceArn);
  const located = [
    { path: ['whatsAppBusinessAccountId'], value: config.whatsAppBusinessAccountId },
    ...config.businessNumbers.map((number, index) => ({
      path: ['businessNumbers', index, 'phoneNumberId'],
      value: number.phoneNumberId,
    })),
  ].filter(({ value }) => value.startsWith('arn:'));
  for (const { path, value } of located) {
    const [, , , region, account] = value.split(':');
    if (region !== stack.region) {
      context.addIssue({
        code: 'custom',
        path,
        message: `is in ${region}, but the stack deploys to ${stack.region} (the Connect instance's Region); EUM Social needs the WABA, its numbers and the media bucket in one Region`,
      });
    }
    if (account !== stack.account) {
      context.addIssue({
        code: 'custom',
        path,
        message: `belongs to account ${account}, but the stack deploys to account ${stack.account}`,
      });
    }
  }
  if (config.eumSocialRegion !== undefined && config.eumSocialRegion !== stack.region) {
    context.addIssue({
      code: 'custom',
      path: ['eumSocialRegion'],
      message: `is ${config.eumSocialRegion}, but the stack deploys to ${stack.region} (the Connect instance's Region); EUM Social needs the WABA, its numbers and the media bucket in one Region`,
    });
  }
  if (located.length === 0 && config.eumSocialRegion === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['eumSocialRegion'],
      message: `say which Region the WhatsApp Business Account is in: give whatsAppBusinessAccountId (or a phone number) as an ARN, or set eumSocialRegion (it must be ${stack.region})`,
    });
  }
}
