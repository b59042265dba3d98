import { planDeploy, planRemoval } from '../domain/event-destination.js';
import type { WabaEventDestinations } from '../ports/event-destinations.js';
import type { Telemetry } from '../ports/telemetry.js';

/** The custom resource's settings, as the deployment gives them. */
export interface EventDestinationSettings {
  readonly wabaId: string;
  readonly topicArn: string;
  readonly takeOver: boolean;
}

/** Why a deploy did not change the WABA's destination. */
export class EventDestinationConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventDestinationConflictError';
  }
}

/**
 * Points a WABA's events at the relay's inbound topic on deploy, and takes them away on delete,
 * without breaking anyone else's destination.
 *
 * Primary course (deploy): read the current destination; if it is unset or already this stack's
 * topic, set it to the topic. If it points elsewhere, refuse with both ARNs named, unless the
 * deployment says to take it over (then replace it, and log what was replaced).
 * Deletion: clear the destination only while it is still this stack's topic.
 */
export class ReconcileEventDestination {
  constructor(
    private readonly deps: { readonly destinations: WabaEventDestinations; readonly telemetry: Telemetry },
  ) {}

  /** Create or update; `previous` is the settings before an update, whose topic is still ours. */
  async deploy(settings: EventDestinationSettings, previous?: EventDestinationSettings): Promise<void> {
    const { destinations, telemetry } = this.deps;
    const current = await destinations.current(settings.wabaId);
    const plan = planDeploy(
      {
        wabaId: settings.wabaId,
        current,
        ours: settings.topicArn,
        ...(previous && previous.wabaId === settings.wabaId ? { previouslyOurs: previous.topicArn } : {}),
      },
      settings.takeOver,
    );
    if (plan.kind === 'refuse') throw new EventDestinationConflictError(plan.reason);
    if (plan.kind === 'take-over') {
      telemetry.warn('Taking over the WABA event destination, as configured', {
        wabaId: settings.wabaId,
        replacing: plan.replacing,
        topicArn: settings.topicArn,
      });
    }
    if (current !== settings.topicArn) await destinations.replace(settings.wabaId, settings.topicArn);
    telemetry.info('WABA event destination is the relay inbound topic', {
      wabaId: settings.wabaId,
      topicArn: settings.topicArn,
    });
  }

  /** Delete: clears the destination if it is still this stack's topic; leaves anyone else's alone. */
  async remove(settings: EventDestinationSettings): Promise<void> {
    const { destinations, telemetry } = this.deps;
    const current = await destinations.current(settings.wabaId);
    const plan = planRemoval({ wabaId: settings.wabaId, current, ours: settings.topicArn });
    if (plan.kind === 'leave') {
      telemetry.info('WABA event destination left as it is', {
        wabaId: settings.wabaId,
        reason: plan.reason,
      });
      return;
    }
    await destinations.replace(settings.wabaId, undefined);
    telemetry.info('WABA event destination cleared', { wabaId: settings.wabaId });
  }
}
