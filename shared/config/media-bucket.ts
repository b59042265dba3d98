/**
 * Where inbound customer media is copied in the media bucket. Config, because both sides need it:
 * the inbound function's media source writes under it, and infra/ scopes IAM and the bucket policy to it.
 */
export const INBOUND_MEDIA_PREFIX = 'inbound/';

/**
 * Where Amazon Transcribe writes voice-note transcripts in the media bucket (OutputKey): the
 * bucket's lifecycle expires them with the media. IAM for both functions is scoped to it.
 */
export const TRANSCRIPT_PREFIX = 'transcripts/';
