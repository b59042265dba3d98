import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  ConnectClient,
  type ConnectClientResolvedConfig,
  CreateParticipantCommand,
  DescribeContactFlowCommand,
  DescribeInstanceCommand,
  DescribeViewCommand,
  DescribeWorkspaceCommand,
  GetContactAttributesCommand,
  ListInstanceStorageConfigsCommand,
  ListLambdaFunctionsCommand,
  ListWorkspacePagesCommand,
  SearchContactsCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-connect';
import {
  ConnectParticipantClient,
  type ConnectParticipantClientResolvedConfig,
  CreateParticipantConnectionCommand,
  GetTranscriptCommand,
  type ServiceInputTypes as ParticipantInputs,
  type ServiceOutputTypes as ParticipantOutputs,
  SendMessageCommand,
} from '@aws-sdk/client-connectparticipant';
import { GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetLinkedWhatsAppBusinessAccountCommand,
  GetLinkedWhatsAppBusinessAccountPhoneNumberCommand,
  SendWhatsAppMessageCommand,
  SocialMessagingClient,
} from '@aws-sdk/client-socialmessaging';
import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import type { DoctorClients } from '../../doctor/clients.js';
import { type FakeDeployment, PHONE_NUMBER_ID, WABA_ARN } from './fake-deployment.js';

/** An AWS error as the SDK throws it: the doctor reads its name. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

/** One chat on the fake instance, for the live test. */
export interface FakeChat {
  contactId: string;
  phone: string;
  initiatedAt: number;
  disconnectedAt?: number;
}

/** The live test's side of Connect and EUM Social: chats, what was sent, and when receipts come. */
export interface FakeLiveWorld {
  chats: FakeChat[];
  sentTemplates: unknown[];
  /** Milliseconds after the agent-side message is sent that its delivery receipt appears; undefined: never. */
  receiptAfterMs?: number;
  agentMessageSentAt?: number;
  now: () => number;
}

/**
 * Puts aws-sdk-client-mock fakes behind every client the doctor uses, answering from `state`
 * (read at call time, so a test may change it between calls). Returns the clients to hand the
 * doctor and a `restore` for afterEach.
 */
export function installFakeAws(state: FakeDeployment, live?: FakeLiveWorld) {
  const stubs: { restore(): void }[] = [];
  const track = <T extends { restore(): void }>(stub: T): T => {
    stubs.push(stub);
    return stub;
  };
  const refuse = (command: string) => {
    const name = state.refused[command];
    if (name) throw awsError(name, `User is not authorized to perform this ${command}`);
  };

  track(mockClient(CloudFormationClient))
    .on(DescribeStacksCommand)
    .callsFake(() => {
      refuse('DescribeStacks');
      if (!state.stack)
        throw awsError('ValidationError', 'Stack with id WhatsAppConnectRelay does not exist');
      const { status, outputs } = state.stack;
      return {
        Stacks: [
          {
            StackName: 'WhatsAppConnectRelay',
            StackStatus: status,
            CreationTime: new Date(0),
            Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      };
    })
    .on(ListStackResourcesCommand)
    .callsFake((input: { NextToken?: string }) => {
      // Two pages, so paging is exercised.
      const resources = (state.stack?.resources ?? []).map((resource) => ({
        LogicalResourceId: resource.logicalId,
        PhysicalResourceId: resource.physicalId,
        ResourceType: resource.type,
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(0),
      }));
      const half = Math.ceil(resources.length / 2);
      return input.NextToken
        ? { StackResourceSummaries: resources.slice(half) }
        : { StackResourceSummaries: resources.slice(0, half), NextToken: 'page-2' };
    });

  track(mockClient(SocialMessagingClient))
    .on(GetLinkedWhatsAppBusinessAccountCommand)
    .callsFake(() => {
      refuse('GetLinkedWhatsAppBusinessAccount');
      if (!state.waba) throw awsError('ResourceNotFoundException');
      return {
        account: {
          arn: WABA_ARN,
          id: 'waba-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
          wabaId: '123456789012345',
          wabaName: 'Example Retail',
          registrationStatus: state.waba.registrationStatus,
          linkDate: new Date(0),
          eventDestinations: state.waba.destination ? [{ eventDestinationArn: state.waba.destination }] : [],
          phoneNumbers: [],
        },
      };
    })
    .on(GetLinkedWhatsAppBusinessAccountPhoneNumberCommand)
    .callsFake((input: { id: string }) => {
      const number = state.numbers[input.id];
      if (!number) throw awsError('ResourceNotFoundException');
      return {
        linkedWhatsAppBusinessAccountId: number.linkedTo,
        phoneNumber: {
          arn: `arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/${input.id}`,
          phoneNumberId: input.id,
          displayPhoneNumber: number.display,
          qualityRating: number.quality,
        },
      };
    })
    .on(SendWhatsAppMessageCommand)
    .callsFake((input: { message: Uint8Array; originationPhoneNumberId: string }) => {
      refuse('SendWhatsAppMessage');
      live?.sentTemplates.push(JSON.parse(new TextDecoder().decode(input.message)));
      return { messageId: 'eum-message-1' };
    });

  const connect = track(mockClient(ConnectClient));
  connect
    .on(DescribeInstanceCommand)
    .callsFake(() => {
      if (!state.instance) throw awsError('ResourceNotFoundException');
      return { Instance: { InstanceStatus: state.instance.status, InstanceAlias: state.instance.alias } };
    })
    .on(ListInstanceStorageConfigsCommand)
    .callsFake(() => ({
      StorageConfigs: state.attachmentsBucket
        ? [
            {
              StorageType: 'S3',
              S3Config: { BucketName: state.attachmentsBucket, BucketPrefix: 'connect/attachments' },
            },
          ]
        : [],
    }))
    .on(DescribeContactFlowCommand)
    .callsFake((input: { ContactFlowId: string }) => {
      const flow = state.flows[input.ContactFlowId];
      if (!flow) throw awsError('ResourceNotFoundException');
      if (flow.neverPublished) throw awsError('ContactFlowNotPublishedException');
      return {
        ContactFlow: { Id: input.ContactFlowId, Name: flow.name, State: flow.state, Status: flow.status },
      };
    })
    .on(DescribeViewCommand)
    .callsFake((input: { ViewId: string }) => {
      const view = state.views[input.ViewId];
      if (!view) throw awsError('ResourceNotFoundException');
      return { View: { Name: view.name, Status: view.status } };
    })
    .on(ListLambdaFunctionsCommand)
    .callsFake(() => ({ LambdaFunctions: [...state.integratedFunctions] }))
    .on(DescribeWorkspaceCommand)
    .callsFake((input: { WorkspaceId: string }) => {
      if (state.workspace?.id !== input.WorkspaceId) throw awsError('ResourceNotFoundException');
      return { Workspace: { Id: state.workspace.id, Name: state.workspace.name } };
    })
    .on(ListWorkspacePagesCommand)
    .callsFake(() => ({ WorkspacePageList: state.workspace?.pages ?? [] }));

  track(mockClient(KMSClient))
    .on(GetKeyPolicyCommand)
    .callsFake(() => {
      refuse('GetKeyPolicy');
      return { Policy: asText(state.keyPolicy), PolicyName: 'default' };
    });
  track(mockClient(SNSClient))
    .on(GetTopicAttributesCommand)
    .callsFake((input: { TopicArn: string }) => {
      const policy = state.topicPolicies[input.TopicArn];
      return { Attributes: { TopicArn: input.TopicArn, ...(policy ? { Policy: asText(policy) } : {}) } };
    })
    .on(ListSubscriptionsByTopicCommand)
    .callsFake(() => ({ Subscriptions: state.subscriptions.map((s) => ({ ...s })) }));
  const sqs = track(mockClient(SQSClient));
  sqs
    .on(GetQueueAttributesCommand)
    .callsFake((input: { QueueUrl: string }) => ({
      Attributes: {
        ApproximateNumberOfMessages: String(state.deadLetters[input.QueueUrl]?.length ?? 0),
        QueueArn: `arn:aws:sqs:us-east-1:111122223333:${input.QueueUrl.split('/').pop()}`,
      },
    }))
    .on(ListDeadLetterSourceQueuesCommand)
    .callsFake((input: { QueueUrl: string }) => ({
      // Each DLQ's source queue: its URL without the DeadLetters part of the name.
      queueUrls: state.deadLetters[input.QueueUrl] ? [input.QueueUrl.replace('DeadLetters', 'Queue')] : [],
    }))
    .on(ReceiveMessageCommand)
    .callsFake((input: { QueueUrl: string; MaxNumberOfMessages?: number }) => ({
      Messages: (state.deadLetters[input.QueueUrl] ?? [])
        .slice(0, input.MaxNumberOfMessages ?? 1)
        .map((letter, index) => ({
          MessageId: `dead-letter-${index}`,
          Body: '{}',
          ...(letter.reason
            ? { MessageAttributes: { RejectReason: { DataType: 'String', StringValue: letter.reason } } }
            : {}),
        })),
    }));
  track(mockClient(CloudWatchClient))
    .on(DescribeAlarmsCommand)
    .callsFake((input: { AlarmNames?: string[] }) => ({
      MetricAlarms: state.alarms
        .filter((alarm) => input.AlarmNames?.includes(alarm.name))
        .map((alarm) => ({
          AlarmName: alarm.name,
          StateValue: alarm.state,
          ActionsEnabled: alarm.actionsEnabled,
          AlarmActions: alarm.actions,
          AlarmDescription: alarm.description,
        })),
    }));

  const participant = track(mockClient(ConnectParticipantClient));
  if (live) installLiveWorld(connect, participant, live);

  const clients: DoctorClients = {
    cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
    socialMessaging: new SocialMessagingClient({ region: 'us-east-1', maxAttempts: 1 }),
    connect: new ConnectClient({ region: 'us-east-1' }),
    connectParticipant: new ConnectParticipantClient({ region: 'us-east-1' }),
    kms: new KMSClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
  };
  const restore = () => {
    for (const stub of stubs) stub.restore();
  };
  /** The name of every command the doctor sent, in order per client. */
  const commandsSent = () =>
    stubs.flatMap((stub) =>
      (stub as unknown as { calls(): { args: [object] }[] })
        .calls()
        .map((call) => call.args[0].constructor.name),
    );
  return { clients, restore, commandsSent, sqs };
}

function installLiveWorld(
  connect: AwsStub<ServiceInputTypes, ServiceOutputTypes, ConnectClientResolvedConfig>,
  participant: AwsStub<ParticipantInputs, ParticipantOutputs, ConnectParticipantClientResolvedConfig>,
  live: FakeLiveWorld,
) {
  connect
    .on(SearchContactsCommand)
    .callsFake((input: { TimeRange: { StartTime: Date; EndTime: Date } }) => ({
      Contacts: live.chats
        .filter(
          (chat) =>
            chat.initiatedAt <= live.now() &&
            chat.initiatedAt >= input.TimeRange.StartTime.getTime() &&
            chat.initiatedAt <= input.TimeRange.EndTime.getTime(),
        )
        .map((chat) => ({
          Id: chat.contactId,
          Channel: 'CHAT',
          InitiationTimestamp: new Date(chat.initiatedAt),
          ...(chat.disconnectedAt ? { DisconnectTimestamp: new Date(chat.disconnectedAt) } : {}),
        })),
    }))
    .on(GetContactAttributesCommand)
    .callsFake((input: { InitialContactId: string }) => {
      const chat = live.chats.find((candidate) => candidate.contactId === input.InitialContactId);
      return {
        Attributes: {
          channel: 'WhatsApp',
          customerPhoneNumber: chat?.phone ?? '',
          businessPhoneNumberId: PHONE_NUMBER_ID,
        },
      };
    })
    .on(CreateParticipantCommand)
    .resolves({
      ParticipantId: 'doctor-participant',
      ParticipantCredentials: { ParticipantToken: 'participant-token' },
    });
  participant
    .on(CreateParticipantConnectionCommand)
    .resolves({ ConnectionCredentials: { ConnectionToken: 'connection-token' } })
    .on(SendMessageCommand)
    .callsFake(() => {
      live.agentMessageSentAt = live.now();
      return { Id: 'doctor-message-1', AbsoluteTime: new Date(live.now()).toISOString() };
    })
    .on(GetTranscriptCommand)
    .callsFake(() => {
      const sentAt = live.agentMessageSentAt ?? 0;
      const deliveredAt = live.receiptAfterMs === undefined ? undefined : sentAt + live.receiptAfterMs;
      const receipts =
        deliveredAt !== undefined && live.now() >= deliveredAt
          ? [{ DeliveredTimestamp: new Date(deliveredAt).toISOString() }]
          : [];
      return {
        Transcript: [
          {
            Id: 'doctor-message-1',
            Type: 'MESSAGE',
            ParticipantRole: 'CUSTOM_BOT',
            MessageMetadata: { MessageId: 'doctor-message-1', Receipts: receipts },
          },
        ],
      };
    });
}

function asText(policy: object | string): string {
  return typeof policy === 'string' ? policy : JSON.stringify(policy);
}
