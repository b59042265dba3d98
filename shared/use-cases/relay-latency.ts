import type { Telemetry } from '../ports/telemetry.js';

/**
 * End-to-end latency as the customer feels it, one sample per relayed message. Samples are taken
 * with the use case's clock (tests drive it), and a clock behind the sender's counts as 0 ms.
 */

/** When a customer message entered the relay's world: WhatsApp's stamp, and EUM Social's when known. */
export interface InboundTimes {
  /** The message's WhatsApp `timestamp`, Unix seconds. */
  readonly whatsAppTimestampSeconds: number;
  /** The EUM Social envelope's `message_timestamp`, epoch milliseconds, when it arrived with one. */
  readonly eumReceivedAt?: number | undefined;
}

/**
 * Records inbound latency once Connect has accepted the message, and returns it (milliseconds since
 * WhatsApp's timestamp) for the log line the "slowest messages" query sorts by.
 */
export function recordInboundLatency(telemetry: Telemetry, acceptedAt: number, times: InboundTimes): number {
  const sinceWhatsApp = Math.max(0, acceptedAt - times.whatsAppTimestampSeconds * 1000);
  telemetry.measure('InboundLatency', sinceWhatsApp);
  if (times.eumReceivedAt !== undefined) {
    telemetry.measure('InboundLatencySinceEum', Math.max(0, acceptedAt - times.eumReceivedAt));
  }
  return sinceWhatsApp;
}

/**
 * Records outbound latency once EUM Social has accepted the send; undefined (and nothing recorded)
 * when the Connect item carried no AbsoluteTime (the decoder gives 0 then).
 */
export function recordOutboundLatency(
  telemetry: Telemetry,
  acceptedAt: number,
  absoluteTime: number,
): number | undefined {
  if (absoluteTime <= 0) return undefined;
  const latency = Math.max(0, acceptedAt - absoluteTime);
  telemetry.measure('OutboundLatency', latency);
  return latency;
}
