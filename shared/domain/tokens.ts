import { createHash } from 'node:crypto';

/**
 * Deterministic idempotency tokens. Every AWS call that accepts a ClientToken gets one derived
 * from the WhatsApp message id (or the contact id), so a retry of the same work can never
 * create a second contact or a second message.
 */
export function idempotencyToken(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 64);
}

/** A short, stable, non-reversible id for a conversation, safe to put in logs. */
export function hashForLogs(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/**
 * An SQS FIFO MessageGroupId or MessageDeduplicationId: at most 128 characters, letters, digits
 * and ASCII punctuation (botocore sqs service-2.json, SendMessageRequest). The value itself when it
 * fits, so on-call can read it; else its SHA-256.
 */
export function fifoId(value: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(value) ? value : idempotencyToken(value);
}
