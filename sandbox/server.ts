import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentDesk, INTERACTIVE, interactiveContent } from './agent-desk.js';
import { GuideRun, type ViewResult } from './guide.js';
import { customerKey, Phone, type PhoneAction, type PhoneCustomer } from './phone.js';
import type { SandboxWorld } from './world.js';

const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/view-renderer.js': 'view-renderer.js',
  '/messages.js': 'messages.js',
  '/style.css': 'style.css',
};
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };
const TWENTY_FIVE_HOURS_MS = 25 * 3_600_000;

/** The body of a page request: the customer it is about, and what was done. */
interface PageRequest {
  readonly customer: PhoneCustomer;
  readonly action?: PhoneAction;
  readonly agent?: {
    readonly do: 'send' | 'typing' | 'end' | 'advance' | 'quick-reply' | 'list-picker';
    readonly text?: string;
  };
  readonly guide?: {
    readonly do: 'open' | 'act';
    /** The view's result: `$.Views.Action` and `$.Views.ViewResultData`. */
    readonly result?: ViewResult;
  };
}

/**
 * The sandbox's page and its small JSON API over node:http (loopback only): the page polls
 * `/api/state`, and posts what the builder does on the phone, the desk and the guide.
 */
export async function startSandboxServer(
  world: SandboxWorld,
  port: number,
): Promise<{ url: string; server: Server }> {
  const phone = new Phone(world.pipeline, world.whatsApp, world.media);
  const desk = new AgentDesk(world.connect, world.pipeline);
  const guides = new Map<string, GuideRun>();
  const firstSeen = new Map<string, number>();

  const state = (customer: PhoneCustomer, logSince: number) => {
    const { read, typingSince } = phone.readState();
    const business = phone.businessMessages(customer).map((message) => {
      if (!firstSeen.has(message.messageId)) firstSeen.set(message.messageId, Date.now());
      return {
        from: 'business',
        id: message.messageId,
        at: firstSeen.get(message.messageId) ?? 0,
        payload: message.payload,
      };
    });
    const own = (phone.sentByCustomer.get(customerKey(customer)) ?? []).map((message) => ({
      from: 'customer',
      ...message,
      ticks: read.has(message.id) ? 'read' : 'delivered',
    }));
    const lastBusinessIndex = world.whatsApp.sent.findLastIndex(
      (sent) => typeof sent.payload.type === 'string',
    );
    const contact = desk.chatOf(customerKey(customer));
    return {
      customers: world.customers.map((record) => ({
        name: record.name,
        phoneNumber: record.phoneNumber ?? '',
      })),
      phone: {
        messages: [...own, ...business].sort((a, b) => a.at - b.at),
        typing: typingSince !== undefined && typingSince > lastBusinessIndex,
      },
      agent: contact
        ? {
            contactId: contact.contactId,
            state: contact.state,
            items: desk.transcript(contact),
            receipts: desk.receipts(contact),
          }
        : undefined,
      clockOffsetHours: Math.round(world.clock.offsetMs / 3_600_000),
      log: world.log.since(logSince),
    };
  };

  const act = async (request: PageRequest): Promise<unknown> => {
    const customer = request.customer;
    if (request.action) return { id: phone.send(customer, request.action) };
    const contact = desk.chatOf(customerKey(customer));
    if (request.agent) {
      const { do: what, text = '' } = request.agent;
      if (what === 'advance') {
        world.clock.advance(TWENTY_FIVE_HOURS_MS);
        world.log.add('sandbox', 'Time travel: the clock of every function moved on 25 hours');
        return {};
      }
      if (!contact) return { error: 'No chat yet: the customer has to write first.' };
      if (what === 'send') desk.send(contact, 'text/markdown', text);
      if (what === 'typing') desk.typing(contact);
      if (what === 'end') desk.end(contact);
      if (what === 'quick-reply' || what === 'list-picker') {
        const [title = 'Choose', ...options] = text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        desk.send(
          contact,
          INTERACTIVE,
          interactiveContent(what === 'quick-reply' ? 'QuickReply' : 'ListPicker', title, options),
        );
      }
      return {};
    }
    if (request.guide) {
      if (!contact) return { error: 'No chat yet: the customer has to write first.' };
      const key = contact.contactId;
      if (request.guide.do === 'open' || !guides.has(key)) {
        const run = new GuideRun(
          world.guide,
          world.contacts,
          { contactId: key, attributes: contact.input.Attributes ?? {} },
          world.log,
        );
        guides.set(key, run);
        return (await run.start()) ?? { closed: true };
      }
      return (
        (await guides.get(key)?.act(request.guide.result ?? { Action: '', ViewResultData: {} })) ?? {
          closed: true,
        }
      );
    }
    return { error: 'Nothing to do' };
  };

  const server = createServer(async (incoming, response) => {
    try {
      await route(incoming, response);
    } catch (error) {
      world.log.add('sandbox', `Request failed: ${String(error)}`);
      send(response, 500, 'application/json', JSON.stringify({ error: String(error) }));
    }
  });
  const route = async (incoming: IncomingMessage, response: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://sandbox');
    const file = STATIC[url.pathname];
    if (incoming.method === 'GET' && file) {
      return send(
        response,
        200,
        TYPES[file.split('.').pop() ?? ''] ?? 'text/plain',
        readFileSync(`sandbox/public/${file}`),
      );
    }
    if (incoming.method === 'GET' && url.pathname === '/api/state') {
      const customer = JSON.parse(url.searchParams.get('customer') ?? '{}') as PhoneCustomer;
      return json(response, state(customer, Number(url.searchParams.get('log') ?? 0)));
    }
    if (incoming.method === 'GET' && url.pathname === '/api/attachment') {
      const contact = world.connect.contacts.get(url.searchParams.get('contact') ?? '');
      const attachment = contact?.attachments.find(
        (item) => item.attachmentId === url.searchParams.get('id'),
      );
      if (!attachment) return send(response, 404, 'text/plain', 'No such attachment');
      return send(response, 200, attachment.contentType, Buffer.from(attachment.bytes));
    }
    if (incoming.method === 'POST' && url.pathname === '/api/act') {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      return json(response, await act(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PageRequest));
    }
    send(response, 404, 'text/plain', 'Not found');
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, server };
}

function json(response: ServerResponse, body: unknown): void {
  send(response, 200, 'application/json', JSON.stringify(body));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  response.end(body);
}
