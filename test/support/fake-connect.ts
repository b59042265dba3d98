import {
  AccessDeniedException as ConnectAccessDeniedException,
  ConnectClient,
  DescribeContactCommand,
  DescribeHoursOfOperationCommand,
  type HoursOfOperation,
  InvalidParameterException,
  InvalidRequestException,
  ResourceNotFoundException,
  StartChatContactCommand,
  type StartChatContactCommandInput,
  StartContactStreamingCommand,
  StartOutboundVoiceContactCommand,
  type StartOutboundVoiceContactCommandInput,
} from '@aws-sdk/client-connect';
import {
  AccessDeniedException,
  CompleteAttachmentUploadCommand,
  ConflictException,
  ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  GetAttachmentCommand,
  InternalServerException,
  SendEventCommand,
  SendMessageCommand,
  StartAttachmentUploadCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-connectparticipant';
import { mockClient } from 'aws-sdk-client-mock';

/** A message as an agent would see it in the chat. */
export interface ChatMessage {
  readonly id: string;
  readonly content: string;
  readonly contentType: string;
}

/** A file the customer's participant attached, as the agent would download it. */
export interface FakeAttachment {
  readonly attachmentId: string;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

export interface FakeContact {
  readonly contactId: string;
  readonly participantToken: string;
  readonly input: StartChatContactCommandInput;
  state: 'active' | 'ended';
  /** When `endChat` ended it (the fake's clock); persistent chat rehydration counts from here. */
  endedAt?: number;
  streaming: boolean;
  customerConnected: boolean;
  readonly transcript: ChatMessage[];
  /** Events the customer participant sent (typing, receipts), deduplicated by ClientToken. */
  readonly events: { contentType: string; content?: string }[];
  /** More than two participants (conference, barge-in): Connect refuses receipts. */
  conference: boolean;
  /** Completed attachments, in completion order. */
  readonly attachments: FakeAttachment[];
  /** Messages and attachments in the order the agent sees them: `text:<content>` / `file:<name>`. */
  readonly timeline: string[];
}

/** Connect chat attachment rules (admin guide, feature specifications). */
const ATTACHMENT_EXTENSIONS = new Set(
  'csv doc docx heic jfif jpeg jpg mov mp4 pdf png ppt pptx rtf txt wav xls xlsx'.split(' '),
);
const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const UPLOAD_HOST = 'https://fake-connect-attachments.test';

interface PendingUpload {
  readonly attachmentId: string;
  readonly contactId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly headers: Record<string, string>;
  bytes?: Uint8Array;
}

/**
 * Decides, per call, whether to fail it. `before`: the call fails without effect (throttling, a
 * 5xx, a timeout on the way in). `after`: the call took effect but its response is lost (a
 * timeout on the way back), the case that makes retries dangerous. `input` is the request, so a
 * decision can be keyed on what is being asked (a ClientToken, a message) rather than call order.
 */
export type FaultInjector = (
  operation: string,
  phase: 'before' | 'after',
  input?: unknown,
) => Error | undefined;

export interface FakeConnectOptions {
  /** Added to every call, to model network round trips. */
  latencyMs?: number;
  faults?: FaultInjector;
  /** Participant SendMessage token bucket (per instance), as Connect documents it. */
  sendMessageRate?: { perSecond: number; burst: number };
  now?: () => number;
  /**
   * Awaited before each call takes effect (after latency, before faults): lets a test hold a call
   * while something else happens, such as an item streamed mid-start.
   */
  gate?: (operation: string, input: unknown) => Promise<void> | undefined;
  /**
   * The instance's contact flows: StartChatContact with any other ContactFlowId is refused with
   * `refusal` (a 4xx, on every attempt), as Connect (ResourceNotFound, InvalidParameter) or the
   * function's IAM policy scoped to the configured flows (AccessDenied) would. Every flow when unset.
   */
  contactFlows?: {
    readonly known: readonly string[];
    readonly refusal: 'ResourceNotFoundException' | 'InvalidParameterException' | 'AccessDeniedException';
  };
  /**
   * CreateParticipantConnection succeeds on an ended chat (SendMessage still refuses it). Whether
   * Connect does is UNCONFIRMED (api-facts.md, participant service); the default refuses, as the
   * chat UI maintainers report (AccessDenied on a terminated chat).
   */
  connectToEndedChats?: boolean;
  /**
   * StartChatContact with PersistentChat is refused (InvalidRequestException) until the source
   * chat has been ended this long: "Only chat sessions that have ended are allowed to rehydrate …
   * wait 30-60 seconds" (admin guide, chat-persistence). Infinity: rehydration never succeeds.
   */
  rehydrationDelayMs?: number;
  /** StartOutboundVoiceContact answers this error instead of dialling (DestinationNotAllowed, say). */
  refuseOutboundCall?: (input: StartOutboundVoiceContactCommandInput) => Error | undefined;
  /** The instance's hours of operation by id, as DescribeHoursOfOperation returns them. */
  hoursOfOperation?: Readonly<Record<string, HoursOfOperation>>;
}

/** A voice call Connect placed: one per distinct ClientToken, as the customer's phone would ring. */
export interface FakeOutboundCall {
  readonly contactId: string;
  readonly input: StartOutboundVoiceContactCommandInput;
}

/**
 * Amazon Connect and the participant service, faked at the SDK boundary with the behaviour the
 * relay depends on: ClientToken idempotency, AccessDenied for ended chats and dead tokens,
 * one-day connection tokens, and (optionally) latency and the SendMessage throttle.
 * Attachments follow Connect's three steps (StartAttachmentUpload, PUT to the returned URL with
 * its headers, CompleteAttachmentUpload), with ClientToken idempotency per contact and Connect's
 * type and 20 MB rules; `fetch` stands in for the upload URL.
 */
export class FakeConnect {
  readonly connectMock = mockClient(ConnectClient);
  readonly participantMock = mockClient(ConnectParticipantClient);
  readonly contacts = new Map<string, FakeContact>();
  readonly calls: { operation: string; at: number }[] = [];
  private readonly operations = new Map<string, (input: unknown) => Promise<unknown>>();
  private readonly byStartToken = new Map<string, string>();
  /** Calls that rang the customer's phone, in order. */
  readonly outboundCalls: FakeOutboundCall[] = [];
  private readonly callsByToken = new Map<string, FakeOutboundCall>();
  private readonly byParticipantToken = new Map<string, string>();
  private readonly connections = new Map<string, { contactId: string; expiresAt: number }>();
  private readonly sentByToken = new Map<string, string>();
  private readonly uploads = new Map<string, PendingUpload>();
  private readonly uploadsByToken = new Map<string, string>();
  private readonly completedByToken = new Set<string>();
  /** The agent who accepted each contact, as DescribeContact's AgentInfo.Id reports it. */
  private readonly acceptedBy = new Map<string, string>();
  private failingPuts: number[] = [];
  private losingCompleteResponses = 0;
  private conflictingCompletes: ('completes' | 'still-uploading')[] = [];
  private sequence = 0;
  private tokens: number;
  private lastRefill: number;

  constructor(private readonly options: FakeConnectOptions = {}) {
    this.tokens = options.sendMessageRate?.burst ?? 0;
    this.lastRefill = this.now();
    this.install();
    this.installAttachments();
    this.installOutboundCalls();
  }

  /** All messages delivered into a contact, InitialMessage first. */
  transcript(contactId: string): string[] {
    return this.contact(contactId).transcript.map((message) => message.content);
  }

  /** A valid connection token for a contact, as CreateParticipantConnection would issue (for baselines). */
  issueConnectionToken(contactId: string): string {
    const token = `connection-${contactId}-${++this.sequence}`;
    this.connections.set(token, { contactId, expiresAt: this.now() + 86_400_000 });
    return token;
  }

  endChat(contactId: string): void {
    const contact = this.contact(contactId);
    contact.state = 'ended';
    contact.endedAt = this.now();
  }

  /**
   * An agent accepts a contact (the chat's, or one a transfer created): DescribeContact then
   * reports them as AgentInfo.Id, "the agent who accepted the contact" [bc-connect].
   */
  agentAccepts(contactId: string, agentId: string): void {
    this.acceptedBy.set(contactId, agentId);
  }

  /** Makes every connection token of the contact unusable, as happens after a day. */
  expireConnections(contactId: string): void {
    for (const connection of this.connections.values()) {
      if (connection.contactId === contactId) connection.expiresAt = 0;
    }
  }

  /** Files attached to a contact, as the agent would download them. */
  attachments(contactId: string): FakeAttachment[] {
    return this.contact(contactId).attachments;
  }

  /** What the agent sees, in order: `text:<content>` and `file:<name>`. */
  timeline(contactId: string): string[] {
    return this.contact(contactId).timeline;
  }

  /** The next PUTs to an upload URL answer these HTTP statuses, in order (e.g. 503). */
  failNextUploads(...statuses: number[]): void {
    this.failingPuts.push(...statuses);
  }

  /** The next CompleteAttachmentUpload completes the attachment, then fails with a 500 (a lost response). */
  loseNextCompleteResponse(): void {
    this.losingCompleteResponses += 1;
  }

  /**
   * The next CompleteAttachmentUpload answers ConflictException, "already being uploaded"
   * [bc-participant], as when another attempt is completing the same attachment. That other
   * attempt either `completes` it meanwhile or is `still-uploading`.
   */
  conflictNextComplete(otherAttempt: 'completes' | 'still-uploading'): void {
    this.conflictingCompletes.push(otherAttempt);
  }

  /**
   * Stands in for `fetch` to Connect's pre-signed upload URLs: checks the method, the headers
   * Connect asked for and the declared size, as S3 would.
   */
  readonly fetch = async (
    url: string | URL,
    init?: { method?: string; headers?: Record<string, string>; body?: unknown },
  ): Promise<Response> => {
    const href = String(url);
    await this.call('PUT attachment');
    if (!href.startsWith(UPLOAD_HOST)) throw new TypeError(`fetch failed: unexpected URL ${href}`);
    const failure = this.failingPuts.shift();
    if (failure) return new Response('injected failure', { status: failure });
    const upload = this.uploads.get(new URL(href).pathname.slice(1));
    if (!upload || init?.method !== 'PUT') return new Response('no such upload', { status: 404 });
    for (const [name, value] of Object.entries(upload.headers)) {
      if (init.headers?.[name] !== value) return new Response(`missing header ${name}`, { status: 403 });
    }
    const body = init.body instanceof Uint8Array ? init.body : new Uint8Array(0);
    if (body.byteLength !== upload.size) return new Response('size mismatch', { status: 400 });
    upload.bytes = body;
    return new Response(null, { status: 200 });
  };

  callCount(operation: string): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  restore(): void {
    this.connectMock.restore();
    this.participantMock.restore();
  }

  private install(): void {
    this.fake(
      this.connectMock.on(StartChatContactCommand),
      'StartChatContact',
      async (input: StartChatContactCommandInput) => {
        const existing = input.ClientToken ? this.byStartToken.get(input.ClientToken) : undefined;
        if (existing) return this.startOutput(this.contact(existing));
        this.refuseUnknownFlow(input.ContactFlowId);
        const source = input.PersistentChat?.SourceContactId;
        if (source && this.contacts.get(source)?.state !== 'ended') {
          throw new InvalidRequestException({ message: 'Source contact is not ended', $metadata: {} });
        }
        const endedFor = source ? this.now() - (this.contacts.get(source)?.endedAt ?? 0) : 0;
        if (source && endedFor < (this.options.rehydrationDelayMs ?? 0)) {
          throw new InvalidRequestException({
            message: 'Only chat sessions that have ended are allowed to rehydrate; wait 30-60 seconds',
            $metadata: { httpStatusCode: 400 },
          });
        }
        const contactId = `contact-${++this.sequence}`;
        const contact: FakeContact = {
          contactId,
          participantToken: `participant-token-${contactId}`,
          input,
          state: 'active',
          streaming: false,
          customerConnected: false,
          events: [],
          conference: false,
          attachments: [],
          timeline: input.InitialMessage?.Content ? [`text:${input.InitialMessage.Content}`] : [],
          transcript: input.InitialMessage?.Content
            ? [
                {
                  id: `msg-initial-${contactId}`,
                  content: input.InitialMessage.Content,
                  contentType: 'text/plain',
                },
              ]
            : [],
        };
        this.contacts.set(contactId, contact);
        this.byParticipantToken.set(contact.participantToken, contactId);
        if (input.ClientToken) this.byStartToken.set(input.ClientToken, contactId);
        return this.startOutput(contact);
      },
    );

    this.fake(this.connectMock.on(DescribeContactCommand), 'DescribeContact', async (input) => {
      const contactId = input.ContactId ?? '';
      const agentId = this.acceptedBy.get(contactId);
      if (!this.contacts.has(contactId) && !agentId) {
        throw new ResourceNotFoundException({ message: 'Contact not found', $metadata: {} });
      }
      return {
        Contact: { Id: contactId, ...(agentId ? { AgentInfo: { Id: agentId } } : {}) },
        $metadata: {},
      };
    });

    this.fake(this.connectMock.on(StartContactStreamingCommand), 'StartContactStreaming', async (input) => {
      const contact = this.contacts.get(input.ContactId);
      if (!contact) throw new ResourceNotFoundException({ message: 'No such contact', $metadata: {} });
      contact.streaming = true;
      return { StreamingId: `streaming-${contact.contactId}`, $metadata: {} };
    });

    this.fake(
      this.participantMock.on(CreateParticipantConnectionCommand),
      'CreateParticipantConnection',
      async (input) => {
        const contactId = this.byParticipantToken.get(input.ParticipantToken);
        const contact = contactId ? this.contacts.get(contactId) : undefined;
        if (!contact || (contact.state === 'ended' && !this.options.connectToEndedChats)) {
          throw new AccessDeniedException({
            Message: 'Access denied',
            message: 'Access denied',
            $metadata: { httpStatusCode: 403 },
          });
        }
        if (input.ConnectParticipant && !contact.streaming) {
          throw new AccessDeniedException({
            Message: 'Streaming not enabled',
            message: 'Streaming not enabled',
            $metadata: { httpStatusCode: 403 },
          });
        }
        contact.customerConnected = true;
        const token = `connection-${contact.contactId}-${++this.sequence}`;
        const expiresAt = this.now() + 86_400_000;
        this.connections.set(token, { contactId: contact.contactId, expiresAt });
        return {
          ConnectionCredentials: { ConnectionToken: token, Expiry: new Date(expiresAt).toISOString() },
          $metadata: {},
        };
      },
    );

    this.fake(this.participantMock.on(SendMessageCommand), 'SendMessage', async (input) => {
      this.takeSendToken();
      const connection = this.connections.get(input.ConnectionToken);
      const contact = connection ? this.contacts.get(connection.contactId) : undefined;
      if (!connection || !contact || connection.expiresAt <= this.now() || contact.state === 'ended') {
        throw new AccessDeniedException({
          Message: 'Access denied',
          message: 'Access denied',
          $metadata: { httpStatusCode: 403 },
        });
      }
      const tokenKey = `${contact.contactId}#${input.ClientToken}`;
      const earlier = input.ClientToken ? this.sentByToken.get(tokenKey) : undefined;
      if (earlier) return { Id: earlier, AbsoluteTime: new Date().toISOString(), $metadata: {} };
      const id = `msg-${++this.sequence}`;
      contact.transcript.push({ id, content: input.Content, contentType: input.ContentType });
      contact.timeline.push(`text:${input.Content}`);
      if (input.ClientToken) this.sentByToken.set(tokenKey, id);
      return { Id: id, AbsoluteTime: new Date().toISOString(), $metadata: {} };
    });

    this.fake(this.participantMock.on(SendEventCommand), 'SendEvent', async (input) => {
      const contact = this.contactForToken(input.ConnectionToken);
      const isReceipt = input.ContentType?.includes('event.message.');
      if (isReceipt && contact.conference) {
        throw new ConflictException({
          Message: 'Conflict',
          message: 'Conflict',
          $metadata: { httpStatusCode: 409 },
        });
      }
      const tokenKey = `${contact.contactId}#event#${input.ClientToken}`;
      if (!input.ClientToken || !this.sentByToken.has(tokenKey)) {
        contact.events.push({
          contentType: input.ContentType ?? '',
          ...(input.Content ? { content: input.Content } : {}),
        });
        if (input.ClientToken) this.sentByToken.set(tokenKey, 'event');
      }
      return { Id: `event-${++this.sequence}`, AbsoluteTime: new Date().toISOString(), $metadata: {} };
    });

    this.fake(this.participantMock.on(GetAttachmentCommand), 'GetAttachment', async (input) => {
      const contact = this.contactForToken(input.ConnectionToken);
      // "A pre-signed URL for download of a completed attachment" [bc-participant]. What Connect
      // answers for one still being uploaded is UNCONFIRMED; this fake says ValidationException.
      const upload = this.uploads.get(input.AttachmentId ?? '');
      if (upload && !contact.attachments.some((done) => done.attachmentId === upload.attachmentId)) {
        throw new ValidationException({
          Message: 'Attachment is not complete',
          message: 'Attachment is not complete',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return {
        Url: `https://attachments.example.com/${input.AttachmentId}?X-Amz-Expires=${input.UrlExpiryInSeconds ?? 5}`,
        UrlExpiry: new Date(this.now() + 300_000).toISOString(),
        AttachmentSizeInBytes: 1234,
        $metadata: {},
      };
    });
  }

  /** Refuses a ContactFlowId the instance does not have (see `contactFlows`). */
  private refuseUnknownFlow(contactFlowId: string | undefined): void {
    const flows = this.options.contactFlows;
    if (!flows || (contactFlowId && flows.known.includes(contactFlowId))) return;
    const message = `Contact flow ${contactFlowId} refused`;
    switch (flows.refusal) {
      case 'ResourceNotFoundException':
        throw new ResourceNotFoundException({ message, $metadata: { httpStatusCode: 404 } });
      case 'InvalidParameterException':
        throw new InvalidParameterException({ message, $metadata: { httpStatusCode: 400 } });
      case 'AccessDeniedException':
        throw new ConnectAccessDeniedException({ message, $metadata: { httpStatusCode: 403 } });
    }
  }

  /** The contact a live connection token belongs to, or AccessDenied as Connect would answer. */
  private contactForToken(connectionToken: string | undefined): FakeContact {
    const connection = connectionToken ? this.connections.get(connectionToken) : undefined;
    const contact = connection ? this.contacts.get(connection.contactId) : undefined;
    if (!connection || !contact || connection.expiresAt <= this.now() || contact.state === 'ended') {
      throw new AccessDeniedException({
        Message: 'Access denied',
        message: 'Access denied',
        $metadata: { httpStatusCode: 403 },
      });
    }
    return contact;
  }

  private installAttachments(): void {
    this.fake(
      this.participantMock.on(StartAttachmentUploadCommand),
      'StartAttachmentUpload',
      async (input) => {
        const contact = this.connectedContact(input.ConnectionToken);
        const tokenKey = `${contact.contactId}#${input.ClientToken}`;
        const earlier = this.uploadsByToken.get(tokenKey);
        if (earlier) return this.uploadOutput(this.uploads.get(earlier) as PendingUpload);
        const extension = /\.([a-z0-9]+)$/i.exec(input.AttachmentName ?? '')?.[1]?.toLowerCase() ?? '';
        const size = input.AttachmentSizeInBytes ?? 0;
        if (!ATTACHMENT_EXTENSIONS.has(extension) || size < 1 || size > MAX_ATTACHMENT_BYTES) {
          throw new ValidationException({
            Message: 'Attachment type or size not supported',
            message: 'Attachment type or size not supported',
            $metadata: { httpStatusCode: 400 },
          });
        }
        const upload: PendingUpload = {
          attachmentId: `attachment-${++this.sequence}`,
          contactId: contact.contactId,
          name: input.AttachmentName ?? '',
          contentType: input.ContentType ?? '',
          size,
          headers: { 'Content-Type': input.ContentType ?? '', 'x-amz-server-side-encryption': 'AES256' },
        };
        this.uploads.set(upload.attachmentId, upload);
        this.uploadsByToken.set(tokenKey, upload.attachmentId);
        return this.uploadOutput(upload);
      },
    );

    this.fake(
      this.participantMock.on(CompleteAttachmentUploadCommand),
      'CompleteAttachmentUpload',
      async (input) => {
        const contact = this.connectedContact(input.ConnectionToken);
        const tokenKey = `${contact.contactId}#${input.ClientToken}`;
        const conflict = this.conflictingCompletes.shift();
        if (conflict === 'still-uploading') throw alreadyBeingUploaded();
        if (this.completedByToken.has(tokenKey)) return { $metadata: {} };
        const [attachmentId] = input.AttachmentIds ?? [];
        const upload = attachmentId ? this.uploads.get(attachmentId) : undefined;
        if (!upload || upload.contactId !== contact.contactId || !upload.bytes) {
          throw new ValidationException({
            Message: 'Attachment was not uploaded',
            message: 'Attachment was not uploaded',
            $metadata: { httpStatusCode: 400 },
          });
        }
        // Completing an attachment twice (another ClientToken) does not show it twice.
        if (!contact.attachments.some((attachment) => attachment.attachmentId === upload.attachmentId)) {
          contact.attachments.push({
            attachmentId: upload.attachmentId,
            name: upload.name,
            contentType: upload.contentType,
            bytes: upload.bytes,
          });
          contact.timeline.push(`file:${upload.name}`);
        }
        this.completedByToken.add(tokenKey);
        if (conflict === 'completes') throw alreadyBeingUploaded();
        if (this.losingCompleteResponses > 0) {
          this.losingCompleteResponses -= 1;
          throw new InternalServerException({
            Message: 'Internal error',
            message: 'Internal error',
            $metadata: { httpStatusCode: 500 },
          });
        }
        return { $metadata: {} };
      },
    );
  }

  /** The contact behind a live connection token; AccessDenied as Connect answers otherwise. */
  private connectedContact(connectionToken: string | undefined): FakeContact {
    const connection = connectionToken ? this.connections.get(connectionToken) : undefined;
    const contact = connection ? this.contacts.get(connection.contactId) : undefined;
    if (!connection || !contact || connection.expiresAt <= this.now() || contact.state === 'ended') {
      throw new AccessDeniedException({
        Message: 'Access denied',
        message: 'Access denied',
        $metadata: { httpStatusCode: 403 },
      });
    }
    return contact;
  }

  private uploadOutput(upload: PendingUpload) {
    return {
      AttachmentId: upload.attachmentId,
      UploadMetadata: {
        Url: `${UPLOAD_HOST}/${upload.attachmentId}`,
        UrlExpiry: new Date(this.now() + 300_000).toISOString(),
        HeadersToInclude: upload.headers,
      },
      $metadata: {},
    };
  }

  /**
   * StartOutboundVoiceContact with ClientToken idempotency ("If a contact is already started, the
   * contact ID is returned": botocore connect 2017-08-08), and DescribeHoursOfOperation.
   */
  private installOutboundCalls(): void {
    this.fake(
      this.connectMock.on(StartOutboundVoiceContactCommand),
      'StartOutboundVoiceContact',
      async (input: StartOutboundVoiceContactCommandInput) => {
        const existing = input.ClientToken ? this.callsByToken.get(input.ClientToken) : undefined;
        if (existing) return { ContactId: existing.contactId, $metadata: {} };
        const refusal = this.options.refuseOutboundCall?.(input);
        if (refusal) throw refusal;
        const call = { contactId: `voice-contact-${++this.sequence}`, input };
        this.outboundCalls.push(call);
        if (input.ClientToken) this.callsByToken.set(input.ClientToken, call);
        return { ContactId: call.contactId, $metadata: {} };
      },
    );
    this.fake(
      this.connectMock.on(DescribeHoursOfOperationCommand),
      'DescribeHoursOfOperation',
      async (input) => {
        const hours = this.options.hoursOfOperation?.[input.HoursOfOperationId ?? ''];
        if (!hours) throw new ResourceNotFoundException({ message: 'No such hours', $metadata: {} });
        return { HoursOfOperation: hours, $metadata: {} };
      },
    );
  }

  private startOutput(contact: FakeContact) {
    return {
      ContactId: contact.contactId,
      ParticipantId: `p-${contact.contactId}`,
      ParticipantToken: contact.participantToken,
      $metadata: {},
    };
  }

  private contact(contactId: string): FakeContact {
    const contact = this.contacts.get(contactId);
    if (!contact) throw new Error(`No fake contact ${contactId}`);
    return contact;
  }

  /** Registers one operation's behaviour behind the latency, recording and fault injection. */
  private fake<Input, Output>(
    behaviour: { callsFake(fn: (input: Input) => Promise<Output>): unknown },
    operation: string,
    effect: (input: Input) => Promise<Output>,
  ): void {
    const wrapped = async (input: Input) => {
      // Init-time priming sends with an aborted signal, which the real SDK stops before the network
      // and the SDK mock cannot see: refuse those requests here, without effect.
      if (isPrimingRequest(input)) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      await this.call(operation);
      await this.options.gate?.(operation, input);
      const before = this.options.faults?.(operation, 'before', input);
      if (before) throw before;
      const output = await effect(input);
      const after = this.options.faults?.(operation, 'after', input);
      if (after) throw after;
      return output;
    };
    this.operations.set(operation, wrapped as (input: unknown) => Promise<unknown>);
    behaviour.callsFake(wrapped);
  }

  /** Runs one operation as the SDK mock would, for transports other than the mock (HTTP). */
  invoke(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const handler = this.operations.get(operation);
    if (!handler) return Promise.reject(new Error(`FakeConnect has no operation ${operation}`));
    return handler(input);
  }

  private async call(operation: string): Promise<void> {
    this.calls.push({ operation, at: this.now() });
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
  }

  private takeSendToken(): void {
    const rate = this.options.sendMessageRate;
    if (!rate) return;
    const now = this.now();
    this.tokens = Math.min(rate.burst, this.tokens + ((now - this.lastRefill) / 1000) * rate.perSecond);
    this.lastRefill = now;
    if (this.tokens < 1) {
      throw new ThrottlingException({
        Message: 'Rate exceeded',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 429 },
      });
    }
    this.tokens -= 1;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** Requests the functions send while priming at init (see shared/adapters/priming.ts). */
function isPrimingRequest(input: unknown): boolean {
  const fields = input as Record<string, unknown>;
  return ['ContactId', 'ConnectionToken', 'ParticipantToken'].some((name) => fields?.[name] === 'priming');
}

function alreadyBeingUploaded(): Error {
  return new ConflictException({
    Message: 'An attachment with that identifier is already being uploaded',
    message: 'An attachment with that identifier is already being uploaded',
    $metadata: { httpStatusCode: 409 },
  });
}
