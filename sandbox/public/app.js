// The sandbox page: polls /api/state and posts what the builder does (/api/act). Plain DOM, no build.

const $ = (id) => document.getElementById(id);
let customers = [];
let customer = { name: 'Sam Taylor', waId: '447700900123' };
let replyTo;
const { el, formatted, businessMessage, agentItem } = window.SandboxMessages;
const actions = {
  post: (body) => post(body),
  replyTo: (id) => {
    replyTo = id;
    $('replying').textContent = 'Replying to the business message above';
    $('message').focus();
  },
};
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
          ? businessMessage(m, actions)
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
        el('span', {}, time),
        el('span', { class: `kind k-${hop.kind}` }, hop.kind),
        el('span', {}, `${hop.text}${hop.ms === undefined ? '' : ` (${hop.ms} ms)`}`),
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
  window.renderManagedView(guide, screen.view, screen.data, async (result) =>
    showGuide(await post({ guide: { do: 'act', result } })),
  );
};
$('open-guide').addEventListener('click', async () => showGuide(await post({ guide: { do: 'open' } })));
loop();
