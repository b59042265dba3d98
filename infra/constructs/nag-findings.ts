import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Acknowledges specific cdk-nag findings (not whole rules), each with its evidence. */
export function acknowledgeFindings(scope: Construct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}
