/** The event destination of a WhatsApp Business Account in EUM Social (one per WABA). */
export interface WabaEventDestinations {
  /** The ARN the WABA's events go to today, or undefined when none is set (or the WABA is gone). */
  current(wabaId: string): Promise<string | undefined>;
  /** Points the WABA's events at `destinationArn`, or clears the destination when undefined. */
  replace(wabaId: string, destinationArn: string | undefined): Promise<void>;
}

/** What a custom resource reports back to CloudFormation ("Custom resource response objects"). */
export interface CustomResourceReply {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}
