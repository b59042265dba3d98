import {
  type ConnectClient,
  StartChatContactCommand,
  type StartChatContactCommandInput,
  StartContactStreamingCommand,
} from '@aws-sdk/client-connect';
import {
  type ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  GetAttachmentCommand,
  GetTranscriptCommand,
  SendEventCommand,
  SendMessageCommand,
} from '@aws-sdk/client-connectparticipant';
import {
  type AttachmentScanStatus,
  type ChatService,
  ChatStartRefusedError,
  ConnectionRejectedError,
  type ParticipantService,
  PersistentChatRejectedError,
  ReceiptNotAcceptedError,
  type StartChatRequest,
  type StartedChat,
} from '../ports/chat-service.js';
import { classifyAwsError, errorName, isTransient } from './aws-errors.js';
import { pollWhile, retryWhileTransient, type ThrottleBackoff, throttleBackoff } from './throttle-backoff.js';

/** Content types the chat accepts. The interactive pair is required for the Show view block. */
export const SUPPORTED_MESSAGING_CONTENT_TYPES = [
  'text/plain',
  'text/markdown',
  'application/json',
  'application/vnd.amazonaws.connect.message.interactive',
  'application/vnd.amazonaws.connect.message.interactive.response',
];

const START_REFUSALS = new Set([
  'ResourceNotFoundException',
  'InvalidParameterException',
  'InvalidRequestException',
  'AccessDeniedException',
]);
/** StartChatContact's default chat duration, 25 hours [botocore connect, ChatDurationInMinutes]. */
export const CONNECT_DEFAULT_CHAT_MINUTES = 1500;

export interface ConnectChatServiceOptions {
  readonly instanceId: string;
  readonly streamingTopicArn: string;
}

/** The participant service (bearer tokens, no IAM): what the customer can do in a chat. */
export class ConnectParticipantService implements ParticipantService {
  constructor(
    protected readonly participant: ConnectParticipantClient,
    /**
     * Participant calls share a per-instance quota (SendMessage ~10 rps). Every one of them is safe
     * to repeat (ClientTokens, reads, a new connection replacing an old one), so throttling,
     * timeouts and 5xx are waited out here rather than by an SQS visibility timeout.
     */
    private readonly backoff: ThrottleBackoff = throttleBackoff(),
  ) {}

  /** Sends a participant command, retrying inside the invocation while Connect answers transiently. */
  private sendParticipant<T>(call: () => Promise<T>): Promise<T> {
    return retryWhileTransient(call, this.backoff);
  }

  async connectParticipant(
    participantToken: string,
  ): Promise<{ connectionToken: string; expiresAt: number }> {
    try {
      const output = await this.sendParticipant(() =>
        this.participant.send(
          new CreateParticipantConnectionCommand({
            ParticipantToken: participantToken,
            Type: ['CONNECTION_CREDENTIALS'],
            ConnectParticipant: true,
          }),
        ),
      );
      const credentials = output.ConnectionCredentials;
      if (!credentials?.ConnectionToken)
        throw new Error('CreateParticipantConnection returned no ConnectionToken');
      // Expiry is an ISO-8601 string; the token lives about a day.
      const expiresAt = credentials.Expiry ? Date.parse(credentials.Expiry) : Date.now() + 3_600_000;
      return { connectionToken: credentials.ConnectionToken, expiresAt };
    } catch (error) {
      if (errorName(error) === 'AccessDeniedException') throw new ConnectionRejectedError({ cause: error });
      throw classifyAwsError('CreateParticipantConnection', error);
    }
  }

  async sendMessage(request: {
    connectionToken: string;
    contactId: string;
    content: string;
    clientToken: string;
  }): Promise<{ messageId: string }> {
    try {
      const output = await this.sendParticipant(() =>
        this.participant.send(
          new SendMessageCommand({
            ConnectionToken: request.connectionToken,
            ContentType: 'text/plain',
            Content: request.content,
            ClientToken: request.clientToken,
          }),
        ),
      );
      return { messageId: output.Id ?? '' };
    } catch (error) {
      if (errorName(error) === 'AccessDeniedException') throw new ConnectionRejectedError({ cause: error });
      throw classifyAwsError('SendMessage', error);
    }
  }

  async sendEvent(request: {
    connectionToken: string;
    contentType: string;
    content?: string;
    clientToken: string;
  }): Promise<void> {
    try {
      await this.sendParticipant(() =>
        this.participant.send(
          new SendEventCommand({
            ConnectionToken: request.connectionToken,
            ContentType: request.contentType,
            ClientToken: request.clientToken,
            ...(request.content !== undefined ? { Content: request.content } : {}),
          }),
        ),
      );
    } catch (error) {
      const name = errorName(error);
      if (name === 'AccessDeniedException') throw new ConnectionRejectedError({ cause: error });
      // Conflict: more than two participants or a barge-in. Validation and anything else that is
      // not transient would be refused again; receipts are cosmetic, so they are not retried.
      if (isTransient(error)) throw classifyAwsError('SendEvent', error);
      throw new ReceiptNotAcceptedError(name, { cause: error });
    }
  }

  async getAttachmentUrl(request: { connectionToken: string; attachmentId: string }): Promise<string> {
    try {
      const output = await this.sendParticipant(() =>
        this.participant.send(
          new GetAttachmentCommand({
            ConnectionToken: request.connectionToken,
            AttachmentId: request.attachmentId,
            // The longest Connect allows: WhatsApp fetches the link after we hand it over.
            UrlExpiryInSeconds: 300,
          }),
        ),
      );
      if (!output.Url) throw new Error('GetAttachment returned no Url');
      return output.Url;
    } catch (error) {
      if (errorName(error) === 'AccessDeniedException') throw new ConnectionRejectedError({ cause: error });
      throw classifyAwsError('GetAttachment', error);
    }
  }

  /**
   * GetAttachment gives "a pre-signed URL for download of a completed attachment" and no status;
   * the scan status is exposed only on transcript items (`Item.Attachments[].Status`, ArtifactStatus
   * APPROVED | REJECTED | IN_PROGRESS) [botocore connectparticipant 2018-09-07]. So the verdict is read
   * from the latest 100 transcript items, where an attachment just sent is found.
   */
  async awaitAttachmentScan(request: {
    connectionToken: string;
    contactId: string;
    attachmentId: string;
    maxWaitMs: number;
  }): Promise<AttachmentScanStatus> {
    const read = async (): Promise<AttachmentScanStatus> => {
      try {
        const output = await this.sendParticipant(() =>
          this.participant.send(
            new GetTranscriptCommand({
              ConnectionToken: request.connectionToken,
              ContactId: request.contactId,
              MaxResults: 100,
              ScanDirection: 'BACKWARD',
              SortOrder: 'DESCENDING',
            }),
          ),
        );
        const statuses = (output.Transcript ?? []).flatMap((item) =>
          (item.Attachments ?? [])
            .filter((attachment) => attachment.AttachmentId === request.attachmentId)
            .map((attachment) => attachment.Status),
        );
        // A later item may repeat the attachment with its verdict; a verdict beats "in progress".
        if (statuses.includes('APPROVED')) return 'APPROVED';
        if (statuses.includes('REJECTED')) return 'REJECTED';
        return statuses.length > 0 ? 'IN_PROGRESS' : 'NOT_FOUND';
      } catch (error) {
        if (errorName(error) === 'AccessDeniedException') throw new ConnectionRejectedError({ cause: error });
        throw classifyAwsError('GetTranscript', error);
      }
    };
    return pollWhile(
      read,
      (status) => status === 'IN_PROGRESS' || status === 'NOT_FOUND',
      this.backoff,
      request.maxWaitMs,
    );
  }
}

/** Amazon Connect contact APIs (SigV4, IAM-scoped) on top of the participant service. */
export class ConnectChatService extends ConnectParticipantService implements ChatService {
  constructor(
    private readonly connect: ConnectClient,
    participant: ConnectParticipantClient,
    private readonly options: ConnectChatServiceOptions,
    backoff?: ThrottleBackoff,
  ) {
    super(participant, backoff);
  }

  async startChat(request: StartChatRequest): Promise<StartedChat> {
    const input: StartChatContactCommandInput = {
      InstanceId: this.options.instanceId,
      ContactFlowId: request.contactFlowId,
      ParticipantDetails: { DisplayName: request.displayName.slice(0, 256) },
      Attributes: { ...request.attributes },
      InitialMessage: { ContentType: 'text/plain', Content: request.initialMessage },
      ClientToken: request.clientToken,
      // Left out at Connect's default (25 h): "If you use ChatDurationInMinutes and receive a 400
      // error, your account may not support the ability to configure custom chat durations"
      // [botocore connect 2017-08-08, StartChatContact].
      ...(request.chatDurationMinutes !== CONNECT_DEFAULT_CHAT_MINUTES
        ? { ChatDurationInMinutes: request.chatDurationMinutes }
        : {}),
      SupportedMessagingContentTypes: SUPPORTED_MESSAGING_CONTENT_TYPES,
      ...(request.persistentSourceContactId
        ? {
            PersistentChat: {
              RehydrationType: 'ENTIRE_PAST_SESSION',
              SourceContactId: request.persistentSourceContactId,
            },
          }
        : {}),
    };
    try {
      const output = await this.connect.send(new StartChatContactCommand(input));
      if (!output.ContactId || !output.ParticipantToken) {
        throw new Error('StartChatContact returned no ContactId or ParticipantToken');
      }
      return { contactId: output.ContactId, participantToken: output.ParticipantToken };
    } catch (error) {
      const name = errorName(error);
      if (
        request.persistentSourceContactId &&
        (name === 'InvalidRequestException' || name === 'InvalidParameterException')
      ) {
        throw new PersistentChatRejectedError({ cause: error });
      }
      // 4xx answers to a request that can never succeed as it is (botocore connect model,
      // StartChatContact errors): the flow or instance is wrong, or the role may not start chats.
      if (START_REFUSALS.has(name)) throw new ChatStartRefusedError(name, { cause: error });
      throw classifyAwsError('StartChatContact', error);
    }
  }

  async startStreaming(request: { contactId: string; clientToken: string }): Promise<void> {
    try {
      await this.connect.send(
        new StartContactStreamingCommand({
          InstanceId: this.options.instanceId,
          ContactId: request.contactId,
          ChatStreamingConfiguration: { StreamingEndpointArn: this.options.streamingTopicArn },
          ClientToken: request.clientToken,
        }),
      );
    } catch (error) {
      throw classifyAwsError('StartContactStreaming', error);
    }
  }
}
