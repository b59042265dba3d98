// The sandbox page: polls /api/state and posts what the builder does (/api/act). Plain DOM, no build.

const $ = (id) => document.getElementById(id);
let customers = [];
let customer = { name: 'Sam Taylor', waId: '447700900123' };
let replyTo;
let logSeq = 0;
const rendered = {};

const post = async (body) => {
  const response = await fetch('/api/act', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer, ...body }),
  });
  return response.json();
};
const el = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value);
  }
  element.append(...children.filter((child) => child !== undefined));
  return element;
};
// WhatsApp's own formatting: *bold*, _italic_, ~strike~, ```code``` (escaped first).
const whatsAppHtml = (text) =>
  String(text)
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
    .replace(/```([^`]+)```/g, '<code>$1</code>')
    .replace(/\*([^*\n]+)\*/g, '<strong>$1</strong>')
    .replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1<em>$2</em>')
    .replace(/~([^~\n]+)~/g, '<s>$1</s>');
const formatted = (text) => {
  const span = el('span');
  span.innerHTML = whatsAppHtml(text);
  return span;
};

function businessMessage(message) {
  const p = message.payload;
  const item = el('li', { class: 'business' });
  if (p.type === 'text') item.append(formatted(p.text.body));
  else if (p.type === 'interactive') {
    const i = p.interactive;
    item.append(formatted(i.body?.text ?? ''));
    const options =
      i.type === 'button'
        ? i.action.buttons.map((b) => ({ id: b.reply.id, title: b.reply.title, list: false }))
        : (i.action.sections ?? []).flatMap((s) =>
            s.rows.map((r) => ({ id: r.id, title: r.title, list: true })),
          );
    const box = el('div', { class: 'options' });
    for (const option of options) {
      box.append(
        el(
          'button',
          {
            type: 'button',
            onclick: () =>
              post({
                action: {
                  type: 'tap',
                  messageId: message.id,
                  optionId: option.id,
                  title: option.title,
                  list: option.list,
                },
              }),
          },
          option.title,
        ),
      );
    }
    item.append(box);
  } else if (p.type === 'template') {
    const values = (p.template.components ?? []).flatMap((c) =>
      (c.parameters ?? []).map((x) => x.text ?? x.type),
    );
    item.append(el('strong', {}, `Template ${p.template.name}`), el('br'), values.join(' · '));
  } else item.append(`[${p.type}] ${p[p.type]?.caption ?? p[p.type]?.filename ?? ''}`);
  item.append(
    el(
      'div',
      {},
      el(
        'button',
        {
          type: 'button',
          'aria-label': 'Reply to this message',
          onclick: () => {
            replyTo = message.id;
            $('replying').textContent = 'Replying to the business message above';
            $('message').focus();
          },
        },
        '↩',
      ),
      el(
        'button',
        {
          type: 'button',
          'aria-label': 'React with a thumbs up',
          onclick: () => post({ action: { type: 'reaction', messageId: message.id, emoji: '👍' } }),
        },
        '👍',
      ),
    ),
  );
  return item;
}

function agentItem(item, receipts, contactId) {
  if (item.kind === 'file') {
    const url = `/api/attachment?contact=${encodeURIComponent(contactId)}&id=${encodeURIComponent(item.id)}`;
    const li = el('li', { class: 'customer file' });
    if (item.contentType.startsWith('image/')) li.append(el('img', { src: url, alt: item.name }));
    else if (item.contentType.startsWith('audio/')) {
      li.append(
        el('audio', { controls: '', src: url, 'aria-label': item.name }),
        el('a', { href: url }, item.name),
        el('p', { class: 'receipt' }, 'Transcript pending'),
      );
    } else li.append(el('a', { href: url }, `📄 ${item.name}`));
    return li;
  }
  if (item.kind === 'agent') {
    const text = item.contentType.includes('interactive')
      ? `[${JSON.parse(item.text).templateType}] ${JSON.parse(item.text).data.content.title}`
      : item.text;
    return el(
      'li',
      { class: 'agent-msg' },
      text,
      el(
        'span',
        { class: 'receipt' },
        receipts[item.id] ? (receipts[item.id] === 'read' ? 'Read' : 'Delivered') : 'Sent',
      ),
    );
  }
  return el('li', { class: item.kind }, item.text);
}

function renderIfChanged(key, value, render) {
  const json = JSON.stringify(value);
  if (rendered[key] === json) return;
  rendered[key] = json;
  render();
}

async function refresh() {
  const response = await fetch(
    `/api/state?customer=${encodeURIComponent(JSON.stringify(customer))}&log=${logSeq}`,
  );
  const state = await response.json();
  if (customers.length === 0) {
    customers = state.customers
      .filter((c) => c.phoneNumber)
      .map((c) => ({ name: c.name, waId: c.phoneNumber.replace(/\D/g, '') }));
    customers.push({ name: 'Kim (username only)', userId: 'US.13491208655302741918' });
    $('customer-pick').replaceChildren(
      ...customers.map((c, i) => el('option', { value: String(i) }, c.name)),
    );
    $('customer-pick').value = String(customers.findIndex((c) => c.waId === customer.waId));
  }
  renderIfChanged('phone', state.phone.messages, () => {
    $('phone-list').replaceChildren(
      ...state.phone.messages.map((m) =>
        m.from === 'business'
          ? businessMessage(m)
          : el(
              'li',
              { class: 'customer' },
              formatted(m.summary),
              el(
                'span',
                { class: `ticks ${m.ticks}`, 'aria-label': m.ticks === 'read' ? 'Read' : 'Delivered' },
                '✓✓',
              ),
            ),
      ),
    );
    $('phone-list').scrollTop = 1e9;
  });
  $('typing').textContent = state.phone.typing ? 'Business is typing…' : '';
  renderIfChanged('agent', state.agent, () => {
    $('chat-state').textContent = state.agent
      ? `(${state.agent.contactId}, ${state.agent.state})`
      : '(no chat yet)';
    $('agent-list').replaceChildren(
      ...(state.agent?.items ?? []).map((i) => agentItem(i, state.agent.receipts, state.agent.contactId)),
    );
    $('agent-list').scrollTop = 1e9;
  });
  $('clock').textContent = state.clockOffsetHours ? `Clock: +${state.clockOffsetHours} h` : '';
  for (const hop of state.log) {
    logSeq = hop.seq;
    const time = new Date(hop.at).toISOString().slice(11, 23);
    $('log').append(
      el(
        'li',
        {},
        `${time} `,
        el('span', { class: `kind k-${hop.kind}` }, hop.kind),
        ` ${hop.text}${hop.ms === undefined ? '' : ` (${hop.ms} ms)`}`,
      ),
    );
  }
  if (state.log.length) $('log').scrollTop = 1e9;
}

const loop = async () => {
  try {
    await refresh();
  } catch {
    /* the sandbox is restarting */
  }
  setTimeout(loop, 400);
};

$('phone-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('message').value.trim();
  if (!text) return;
  $('message').value = '';
  await post({ action: { type: 'text', text, ...(replyTo ? { replyTo } : {}) } });
  replyTo = undefined;
  $('replying').textContent = '';
});
for (const button of document.querySelectorAll('[data-emoji]'))
  button.addEventListener('click', () => {
    $('message').value += button.dataset.emoji;
    $('message').focus();
  });
$('file').addEventListener('change', async () => {
  const file = $('file').files[0];
  if (!file) return;
  const base64 = btoa(String.fromCharCode(...new Uint8Array(await file.arrayBuffer())));
  await post({
    action: { type: 'file', name: file.name, mimeType: file.type || 'application/octet-stream', base64 },
  });
  $('file').value = '';
});
$('voice').addEventListener('click', () => post({ action: { type: 'voice' } }));
$('location').addEventListener('click', () => post({ action: { type: 'location' } }));
$('contact-card').addEventListener('click', () => post({ action: { type: 'contact' } }));
$('customer-pick').addEventListener('change', () => {
  customer = customers[Number($('customer-pick').value)];
});
$('use-custom').addEventListener('click', () => {
  const waId = $('custom-number').value.replace(/\D/g, '');
  const userId = $('custom-user').value.trim();
  if (!waId && !userId) return;
  customer = {
    name: $('custom-name').value.trim() || 'Customer',
    ...(waId ? { waId } : {}),
    ...(userId ? { userId } : {}),
  };
});
let lastTyping = 0;
$('reply').addEventListener('input', () => {
  if (Date.now() - lastTyping < 5000) return;
  lastTyping = Date.now();
  post({ agent: { do: 'typing' } });
});
$('agent-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('reply').value.trim();
  if (!text) return;
  $('reply').value = '';
  await post({ agent: { do: 'send', text } });
});
const options = (fallback) => $('reply').value.trim() || fallback;
$('quick-reply').addEventListener('click', () =>
  post({
    agent: { do: 'quick-reply', text: options('How can we help?\nTrack my order\nTalk to sales') },
  }).then(() => {
    $('reply').value = '';
  }),
);
$('list-picker').addEventListener('click', () =>
  post({
    agent: {
      do: 'list-picker',
      text: options(
        'Pick a delivery slot\nMonday morning\nMonday afternoon\nTuesday morning\nTuesday afternoon',
      ),
    },
  }).then(() => {
    $('reply').value = '';
  }),
);
$('end-chat').addEventListener('click', () => post({ agent: { do: 'end' } }));
$('advance').addEventListener('click', () => post({ agent: { do: 'advance' } }));
const showGuide = (screen) => {
  const guide = $('guide');
  if (!screen || screen.closed || screen.error) {
    guide.hidden = !screen?.error;
    guide.textContent = screen?.error ?? '';
    return;
  }
  guide.hidden = false;
  window.renderView(guide, screen.view, screen.data, async (action, values) =>
    showGuide(await post({ guide: { do: 'act', action, values } })),
  );
};
$('open-guide').addEventListener('click', async () => showGuide(await post({ guide: { do: 'open' } })));
loop();
