import type { CustomResourceReply } from '../ports/event-destinations.js';

// CloudFormation shows at most 4 KB of a failure reason.
const MAX_REASON_LENGTH = 3_000;

/**
 * Sends a custom resource's result to the pre-signed S3 URL CloudFormation gave it, as JSON with
 * an empty content type (CloudFormation user guide, "Custom resource response objects"). Without
 * it the stack waits for the resource to time out.
 */
export async function putCloudFormationResponse(
  responseUrl: string,
  response: CustomResourceReply,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const body = JSON.stringify({
    ...response,
    ...(response.Reason ? { Reason: response.Reason.slice(0, MAX_REASON_LENGTH) } : {}),
  });
  const reply = await fetchImpl(responseUrl, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  if (!reply.ok) throw new Error(`CloudFormation response upload failed with HTTP ${reply.status}`);
}
