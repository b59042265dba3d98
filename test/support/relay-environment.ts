import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { vi } from 'vitest';
import type { FakeConnectOptions, FaultInjector } from './fake-connect.js';
import { FakeWhatsApp } from './fake-whatsapp.js';
import { type InboundEnvironment, startInboundEnvironment } from './inbound-environment.js';

/**
 * Both relay functions (inbound and outbound), as deployed: real entry modules, one DynamoDB
 * emulator, Connect and EUM Social faked at the SDK boundary.
 */
export interface RelayEnvironment extends InboundEnvironment {
  readonly outbound: (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly whatsApp: FakeWhatsApp;
}

export async function startRelayEnvironment(
  options: {
    env?: Record<string, string>;
    connect?: FakeConnectOptions;
    whatsApp?: { latencyMs?: number; faults?: FaultInjector };
  } = {},
): Promise<RelayEnvironment> {
  const inbound = await startInboundEnvironment({
    env: { META_API_VERSION: 'v23.0', ...options.env },
    ...(options.connect ? { connect: options.connect } : {}),
  });
  const whatsApp = new FakeWhatsApp(options.whatsApp);
  const module = await import('../../functions/outbound/index.js');
  return {
    ...inbound,
    outbound: module.handler,
    whatsApp,
    async stop() {
      whatsApp.restore();
      vi.resetModules();
      await inbound.stop();
    },
  };
}
