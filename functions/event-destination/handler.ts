import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { CustomResourceReply } from '../../shared/ports/event-destinations.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type {
  EventDestinationSettings,
  ReconcileEventDestination,
} from '../../shared/use-cases/reconcile-event-destination.js';

/** What the event-destination handler needs; built once in index.ts, or by a test. */
export interface EventDestinationHandlerDependencies {
  readonly reconcile: Pick<ReconcileEventDestination, 'deploy' | 'remove'>;
  /** Decodes ResourceProperties; throws a clear error on bad input. */
  readonly readSettings: (properties: unknown) => EventDestinationSettings;
  /** Sends the result to CloudFormation's response URL. */
  readonly respond: (responseUrl: string, reply: CustomResourceReply) => Promise<void>;
  readonly telemetry: Telemetry;
}

/**
 * The `Custom::WabaEventDestination` resource: Create and Update set the WABA's event destination
 * to the inbound topic (or fail the deploy with a clear reason), Delete clears it while it is still
 * ours. Every request gets an answer, so CloudFormation never waits for a timeout.
 */
export function makeHandler(deps: EventDestinationHandlerDependencies) {
  return async (event: CloudFormationCustomResourceEvent): Promise<void> => {
    const base = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    // A changed WABA gets a new physical id, so CloudFormation then deletes the old one's destination.
    let physicalResourceId =
      event.RequestType === 'Create' ? `event-destination-${event.RequestId}` : event.PhysicalResourceId;
    try {
      const settings = deps.readSettings(event.ResourceProperties);
      if (event.RequestType === 'Delete') {
        await deps.reconcile.remove(settings);
      } else {
        physicalResourceId = `event-destination-${settings.wabaId}`;
        const previous =
          event.RequestType === 'Update' ? readPrevious(deps, event.OldResourceProperties) : undefined;
        await deps.reconcile.deploy(settings, previous);
      }
      await deps.respond(event.ResponseURL, {
        ...base,
        Status: 'SUCCESS',
        PhysicalResourceId: physicalResourceId,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.telemetry.error('WABA event destination not changed', {
        requestType: event.RequestType,
        reason,
      });
      await deps.respond(event.ResponseURL, {
        ...base,
        Status: 'FAILED',
        Reason: reason,
        PhysicalResourceId: physicalResourceId,
      });
    }
  };
}

/** The settings before an update; unreadable old settings only mean "no previous topic". */
function readPrevious(
  deps: EventDestinationHandlerDependencies,
  old: unknown,
): EventDestinationSettings | undefined {
  try {
    return deps.readSettings(old);
  } catch {
    return undefined;
  }
}
