// biome-ignore lint/suspicious/noExplicitAny: a port method's own parameter types are checked at the port.
type Method = (...args: any[]) => unknown;
type Methods<Port> = { [Op in keyof Port]: Port[Op] extends Method ? Op : never }[keyof Port];

/** A port whose answers a scenario can replace, remembering every call in order. */
export type Scripted<Port> = Port & {
  readonly answer: Port;
  readonly calls: { op: Methods<Port>; request: unknown }[];
  /** The first argument of every call to `op`, oldest first. */
  requests<Op extends Methods<Port>>(op: Op): Port[Op] extends Method ? Parameters<Port[Op]>[0][] : never;
};

/** Wraps `answer` (the port's default behaviour) so calls are recorded and answers swappable. */
export function scripted<Port extends object>(answer: Port): Scripted<Port> {
  const calls: { op: Methods<Port>; request: unknown }[] = [];
  const forwarders = Object.keys(answer).map((op) => [
    op,
    (...args: unknown[]) => {
      calls.push({ op: op as Methods<Port>, request: args[0] });
      return (answer[op as keyof Port] as Method)(...args);
    },
  ]);
  // biome-ignore lint/suspicious/noExplicitAny: the element type is rebuilt by the return type.
  const requests = (op: Methods<Port>): any => calls.filter((c) => c.op === op).map((c) => c.request);
  return { ...(Object.fromEntries(forwarders) as Port), answer, calls, requests };
}
