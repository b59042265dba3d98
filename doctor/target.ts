import { instanceParts } from '../infra/config/instance-arn.js';
import type { RelayConfig } from '../infra/config/relay-config.js';
import { STACK_NAME } from '../infra/config/stack-name.js';

/** The deployment the doctor examines: the validated configuration, and where the stack lives. */
export interface DoctorTarget {
  readonly config: RelayConfig;
  /** The file the configuration came from, for the fixes that say how to deploy. */
  readonly configFile: string;
  readonly stackName: string;
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly instanceId: string;
}

/** The target of a configuration, located exactly as infra/build-app.ts places the stack. */
export function targetOf(config: RelayConfig, configFile: string): DoctorTarget {
  const { partition, account, region, instanceId } = instanceParts(config.connectInstanceArn);
  return { config, configFile, stackName: STACK_NAME, partition, account, region, instanceId };
}

/** The WABA's ARN, whether the configuration gives it as `waba-<id>` or as an ARN. */
export function wabaArnOf(target: DoctorTarget): string {
  const waba = target.config.whatsAppBusinessAccountId;
  if (waba.startsWith('arn:')) return waba;
  return `arn:${target.partition}:social-messaging:${target.region}:${target.account}:waba/${waba.replace(/^waba-/, '')}`;
}
