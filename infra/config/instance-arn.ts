/** The Connect instance ARN split into the parts the stack needs. */
export function instanceParts(instanceArn: string) {
  const [, partition, , region, account, resource] = instanceArn.split(':');
  const instanceId = resource?.split('/')[1] ?? '';
  return { partition: partition ?? 'aws', region: region ?? '', account: account ?? '', instanceId };
}
