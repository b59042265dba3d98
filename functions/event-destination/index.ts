import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { putCloudFormationResponse } from '../../shared/adapters/cloudformation-response.js';
import { EumEventDestinations } from '../../shared/adapters/eum-event-destinations.js';
import { readEventDestinationProperties } from '../../shared/config/event-destination-config.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { ReconcileEventDestination } from '../../shared/use-cases/reconcile-event-destination.js';
import { makeHandler } from './handler.js';

// Bundle entry: runs only at deploy and delete time, as CloudFormation's custom resource provider.
const { telemetry } = createObservability('whatsapp-event-destination');

export const handler = makeHandler({
  reconcile: new ReconcileEventDestination({
    destinations: new EumEventDestinations(new SocialMessagingClient({})),
    telemetry,
  }),
  readSettings: readEventDestinationProperties,
  respond: (url, reply) => putCloudFormationResponse(url, reply),
  telemetry,
});
