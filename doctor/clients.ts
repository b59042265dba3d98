import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { errorName } from '../shared/domain/errors.js';
import { type CheckLine, fail } from './checklist.js';

/** The SDK clients the doctor reads a deployment with, built once by the CLI (or by the tests' fakes). */
export interface DoctorClients {
  readonly cloudFormation: CloudFormationClient;
  readonly socialMessaging: SocialMessagingClient;
  readonly connect: ConnectClient;
  readonly connectParticipant: ConnectParticipantClient;
  readonly kms: KMSClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
}

/** An AWS error's name and message, as one line of a checklist. */
export function describeError(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  const name = errorName(error);
  return typeof message === 'string' && message && message !== name ? `${name}: ${message}` : name;
}

/**
 * Runs one read; when AWS refuses or fails it, the line says which call failed and which
 * permission the doctor's credentials need, instead of stopping the whole checklist.
 */
export async function readOrFail(
  title: string,
  action: string,
  read: () => Promise<CheckLine | readonly CheckLine[]>,
): Promise<readonly CheckLine[]> {
  try {
    const lines = await read();
    return Array.isArray(lines) ? lines : [lines as CheckLine];
  } catch (error) {
    const denied = /AccessDenied|UnauthorizedOperation|AuthorizationError/.test(errorName(error));
    return [
      fail(
        title,
        `${action} failed (${describeError(error)})`,
        denied
          ? `Allow ${action} for the credentials you run the doctor with, then run it again.`
          : `Check your credentials and Region, then run the doctor again; if ${action} keeps failing, check the AWS Health Dashboard.`,
      ),
    ];
  }
}
