import {
  type ConnectClient,
  DescribeHoursOfOperationCommand,
  type HoursOfOperationDays,
  StartOutboundVoiceContactCommand,
} from '@aws-sdk/client-connect';
import type { OpeningSlice, WeeklyHours } from '../domain/hours-of-operation.js';
import {
  type HoursOfOperationSource,
  OutboundCallNotPlacedError,
  OutboundCallRefusedError,
  type OutboundCallRequest,
  type OutboundCalls,
  OutboundCallUnconfirmedError,
} from '../ports/outbound-calls.js';
import {
  classifyAwsError,
  errorName,
  failureLabel,
  isCertainlyUnsent,
  outboundCallRefusalOf,
} from './aws-errors.js';

/**
 * StartOutboundVoiceContact on one instance. Required: DestinationPhoneNumber (E.164),
 * ContactFlowId, InstanceId; "If you do not specify a queue, you must specify a source phone
 * number"; the ClientToken is valid 7 days and "If a contact is already started, the contact ID is
 * returned" (botocore connect 2017-08-08, StartOutboundVoiceContactRequest). Earlier API reference
 * pages add "If the contact is disconnected, a new contact is started", so a token does not
 * protect a retry made after the call ended: see OutboundCalls for what is retried.
 */
export class ConnectOutboundCalls implements OutboundCalls {
  /**
   * The client must be built with `maxAttempts: 1`: an SDK retry after a timeout repeats the
   * ClientToken, which rings the customer again if the first call has already ended.
   */
  constructor(
    private readonly client: ConnectClient,
    private readonly instanceId: string,
  ) {}

  async startCall(request: OutboundCallRequest): Promise<{ contactId: string }> {
    try {
      const output = await this.client.send(
        new StartOutboundVoiceContactCommand({
          InstanceId: this.instanceId,
          DestinationPhoneNumber: request.destination,
          ContactFlowId: request.contactFlowId,
          ...('phoneNumber' in request.source
            ? { SourcePhoneNumber: request.source.phoneNumber }
            : { QueueId: request.source.queueId }),
          Attributes: { ...request.attributes },
          ClientToken: request.clientToken,
          // Shown to the agent in the CCP.
          Name: 'WhatsApp callback',
          TrafficType: 'GENERAL',
        }),
      );
      if (!output.ContactId) throw new Error('StartOutboundVoiceContact returned no ContactId');
      return { contactId: output.ContactId };
    } catch (error) {
      const refusal = outboundCallRefusalOf(error);
      if (refusal) throw new OutboundCallRefusedError(refusal, errorName(error), { cause: error });
      if (isCertainlyUnsent(error))
        throw classifyAwsError('StartOutboundVoiceContact', error, OutboundCallNotPlacedError);
      throw new OutboundCallUnconfirmedError(failureLabel(error), { cause: error });
    }
  }
}

/** How long a container reuses an instance's hours of operation. */
const HOURS_CACHE_MS = 5 * 60_000;

/**
 * DescribeHoursOfOperation (TimeZone, Config[{Day, StartTime, EndTime}]: botocore connect
 * 2017-08-08, HoursOfOperation), cached per container for five minutes: hours change rarely and
 * the call has a low rate quota.
 */
export class ConnectHoursOfOperation implements HoursOfOperationSource {
  private readonly cache = new Map<string, { readonly hours: WeeklyHours; readonly at: number }>();

  constructor(
    private readonly client: ConnectClient,
    private readonly instanceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  async weeklyHours(hoursOfOperationId: string): Promise<WeeklyHours> {
    const cached = this.cache.get(hoursOfOperationId);
    if (cached && this.now() - cached.at < HOURS_CACHE_MS) return cached.hours;
    try {
      const { HoursOfOperation: hours } = await this.client.send(
        new DescribeHoursOfOperationCommand({
          InstanceId: this.instanceId,
          HoursOfOperationId: hoursOfOperationId,
        }),
      );
      const weekly: WeeklyHours = {
        timeZone: hours?.TimeZone ?? 'UTC',
        slices: (hours?.Config ?? []).flatMap((config): OpeningSlice[] =>
          config.Day && config.StartTime && config.EndTime
            ? [
                {
                  day: config.Day as HoursOfOperationDays,
                  startMinute: (config.StartTime.Hours ?? 0) * 60 + (config.StartTime.Minutes ?? 0),
                  endMinute: (config.EndTime.Hours ?? 0) * 60 + (config.EndTime.Minutes ?? 0),
                },
              ]
            : [],
        ),
      };
      this.cache.set(hoursOfOperationId, { hours: weekly, at: this.now() });
      return weekly;
    } catch (error) {
      throw classifyAwsError('DescribeHoursOfOperation', error);
    }
  }
}
