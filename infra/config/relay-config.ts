import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BusinessNumberConfig } from '../../shared/config/business-numbers.js';
import {
  metaApiVersionSchema,
  phoneNumberIdSchema,
  wabaIdSchema,
} from '../../shared/config/template-catalogue-env.js';
import { alarmSettingsSchema } from './alarm-settings.js';
import { deploymentBusinessNumbersSchema, phoneNumberIdOf } from './deployment-business-numbers.js';
import { checkEumSocialRegion } from './eum-social-region.js';

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653,
] as const;

/** The deployment's settings: everything a builder chooses, validated before anything is synthesized. */
export const relayConfigSchema = z
  .object({
    /** `arn:aws:connect:<region>:<account>:instance/<id>`; the stack deploys to that account and Region. */
    connectInstanceArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/,
        'must be a Connect instance ARN like arn:aws:connect:us-east-1:111122223333:instance/<uuid>',
      ),
    businessNumbers: deploymentBusinessNumbersSchema,
    chatDurationMinutes: z.number().int().min(60).max(10080).default(1500),
    conversationTtlDays: z.number().int().min(1).max(3650).default(30),
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /** Sent to the customer when an agent joins; `{name}` is the agent's display name. Off when absent. */
    agentJoinedMessage: z.string().min(1).max(4096).optional(),
    /** Sent to the customer when the chat ends. Off when absent. */
    chatEndedMessage: z.string().min(1).max(4096).optional(),
    /** The button that opens a WhatsApp list (WhatsApp allows 20 characters); "Choose" when absent. */
    listButtonLabel: z.string().trim().min(1).max(20).optional(),
    /** Optional e-mail for alarm notifications; the subscription must be confirmed from the inbox. */
    alarmEmail: z.string().email().optional(),
    /** Alarm thresholds and the runbook the alarm descriptions link to (docs/operations.md). */
    alarms: alarmSettingsSchema,
    /** Agent-initiated templates: the EUM WABA whose templates the guide offers (`waba-…` or ARN). */
    whatsAppBusinessAccountId: wabaIdSchema,
    /** The business number templates are sent from; defaults to the first business number. */
    templateSenderPhoneNumberId: phoneNumberIdSchema.optional(),
    /** Template names the guide may offer; every approved template when left out. */
    templateAllowList: z
      .array(z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a WhatsApp template name (a-z, 0-9, _)'))
      .min(1)
      .optional(),
    /** Queue the deployed inbound flow routes to when the initiating agent is not available. */
    defaultQueueArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}\/queue\/[0-9a-zA-Z-]+$/,
        'must be a queue ARN like arn:aws:connect:<region>:<account>:instance/<id>/queue/<queue id>',
      ),
    /** Meta Graph API version EUM Social passes to Meta with every send (relay and templates). */
    metaApiVersion: metaApiVersionSchema.default('v23.0'),
    /** How long each function reuses the template catalogue before listing it again. */
    templateCacheTtlSeconds: z.number().int().min(0).max(86_400).default(300),
    /**
     * The Region of the WABA and its numbers in EUM Social, when they are given as ids rather than
     * ARNs. It must be the stack's Region (the Connect instance's).
     */
    eumSocialRegion: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a Region name like us-east-1')
      .optional(),
    /**
     * The WABA has one event destination. When it already points elsewhere (Connect's native
     * WhatsApp channel, another app), the deploy fails unless this is true; then it is replaced.
     */
    takeOverEventDestination: z.boolean().default(false),
    /**
     * How long a reply waits for the agent who sent the template before it moves to the default
     * queue (the Wait block of flows/agent-route-back-queue.json; Connect allows up to 7 days).
     */
    routeBackWaitSeconds: z.number().int().min(10).max(604_800).default(120),
    /** Who gets the template-guide workspace: user and routing-profile ARNs of the instance. */
    guideWorkspaceAssociations: z
      .array(
        z
          .string()
          .regex(
            /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}\/(agent|routing-profile)\/[0-9a-zA-Z-]+$/,
            'must be a user (…/agent/<id>) or routing profile (…/routing-profile/<id>) ARN',
          ),
      )
      .default([]),
    /**
     * ARN of the Guide view made in the console (a Connect application component running the guide
     * flow). When set, the workspace gets a page showing it; CloudFormation cannot create that view.
     */
    guideViewArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}\/view\/[-:a-zA-Z0-9$]+$/,
        'must be a view ARN like arn:aws:connect:<region>:<account>:instance/<id>/view/<view id>',
      )
      .optional(),
  })
  .strict()
  .superRefine((config, context) => {
    checkEumSocialRegion(config, context);
    config.businessNumbers.forEach((number, index) => {
      const hours = number.preferredAgent?.hours;
      if (hours !== undefined && hours > config.conversationTtlDays * 24) {
        context.addIssue({
          code: 'custom',
          path: ['businessNumbers', index, 'preferredAgent', 'hours'],
          message: `must be at most conversationTtlDays × 24 (${config.conversationTtlDays * 24}): an idle conversation, and its last agent, are deleted then`,
        });
      }
    });
    const sender = config.templateSenderPhoneNumberId;
    if (
      sender &&
      !config.businessNumbers.some((number) => phoneNumberIdOf(number.phoneNumberId) === sender)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['templateSenderPhoneNumberId'],
        message: 'must be one of businessNumbers[].phoneNumberId, so that replies reach this relay',
      });
    }
    if (!config.defaultQueueArn.startsWith(`${config.connectInstanceArn}/queue/`)) {
      context.addIssue({
        code: 'custom',
        path: ['defaultQueueArn'],
        message: 'must be a queue of the configured Connect instance',
      });
    }
  })
  .transform((config) => ({
    ...config,
    businessNumbers: config.businessNumbers.map((number) => ({
      ...number,
      phoneNumberId: phoneNumberIdOf(number.phoneNumberId),
    })),
  }));

export type RelayConfig = z.infer<typeof relayConfigSchema>;

/** The configuration once every business number has a flow id (explicit, or the deployed inbound flow). */
export type ResolvedRelayConfig = Omit<RelayConfig, 'businessNumbers'> & {
  readonly businessNumbers: BusinessNumberConfig[];
};

/** Gives business numbers without an explicit `inboundFlowId` the deployed inbound flow. */
export function resolveInboundFlows(config: RelayConfig, deployedInboundFlowId: string): ResolvedRelayConfig {
  return {
    ...config,
    businessNumbers: config.businessNumbers.map((number) => ({
      ...number,
      inboundFlowId: number.inboundFlowId ?? deployedInboundFlowId,
    })),
  };
}

/** Thrown at synth time with every problem in the configuration named. */
export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}

/** Validates a parsed configuration object; `source` names it in errors. */
export function parseRelayConfig(raw: unknown, source: string): RelayConfig {
  const result = relayConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new RelayConfigError(`Invalid relay configuration in ${source}:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** Reads and validates the configuration file named by the `relayConfigFile` context value. */
export function loadRelayConfigFile(path: string): RelayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RelayConfigError(`Relay configuration file not found: ${path} (set -c relayConfigFile=<path>)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RelayConfigError(
      `Relay configuration file ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return parseRelayConfig(raw, path);
}
