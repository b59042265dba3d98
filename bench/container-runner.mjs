// One Lambda container: imports a function bundle once (its cold start), then runs invocations
// sent over IPC and reports each one's wall time and this process's CPU time.
const started = performance.now();
const { handler } = await import(process.argv[2]);
process.send({ type: 'ready', initMs: performance.now() - started });

process.on('message', async (message) => {
  if (message.type === 'exit') process.exit(0);
  if (message.type !== 'invoke') return;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  let response;
  let error;
  try {
    response = await handler(message.event, {});
  } catch (caught) {
    error = String(caught?.stack ?? caught);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  process.send({ type: 'result', id: message.id, response, error, wallMs, cpuMicros: cpu.user + cpu.system });
});
