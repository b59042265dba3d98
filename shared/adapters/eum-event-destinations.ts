import {
  GetLinkedWhatsAppBusinessAccountCommand,
  PutWhatsAppBusinessAccountEventDestinationsCommand,
  ResourceNotFoundException,
  type SocialMessagingClient,
} from '@aws-sdk/client-socialmessaging';
import type { WabaEventDestinations } from '../ports/event-destinations.js';

/**
 * The WABA's event destination through EUM Social (botocore socialmessaging 2024-01-01):
 * GetLinkedWhatsAppBusinessAccount returns `account.eventDestinations` (a list of at most one
 * `{eventDestinationArn, roleArn?}`), and PutWhatsAppBusinessAccountEventDestinations replaces that
 * list (an empty list clears it). Both take `waba-<id>` or the WABA ARN as `id`.
 */
export class EumEventDestinations implements WabaEventDestinations {
  constructor(private readonly client: SocialMessagingClient) {}

  async current(wabaId: string): Promise<string | undefined> {
    try {
      const { account } = await this.client.send(new GetLinkedWhatsAppBusinessAccountCommand({ id: wabaId }));
      return account?.eventDestinations?.[0]?.eventDestinationArn || undefined;
    } catch (error) {
      // A WABA that is no longer linked has no destination to keep or clear.
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async replace(wabaId: string, destinationArn: string | undefined): Promise<void> {
    await this.client.send(
      new PutWhatsAppBusinessAccountEventDestinationsCommand({
        id: wabaId,
        eventDestinations: destinationArn ? [{ eventDestinationArn: destinationArn }] : [],
      }),
    );
  }
}
