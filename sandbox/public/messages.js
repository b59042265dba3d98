// The sandbox page's message rendering: the phone's bubbles (WhatsApp formatting, tappable
// buttons and lists, templates) and the agent desk's transcript (Markdown, files, receipts).
// Loaded before app.js, which owns the state and passes in what a tap does (`post`, `replyTo`).

// A scope of its own: classic scripts share one global scope, and app.js names these too.
(() => {
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
  const escapeHtml = (text) =>
    String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const whatsAppHtml = (text) =>
    escapeHtml(text)
      .replace(/```([^`]+)```/g, '<code>$1</code>')
      .replace(/\*([^*\n]+)\*/g, '<strong>$1</strong>')
      .replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1<em>$2</em>')
      .replace(/~([^~\n]+)~/g, '<s>$1</s>');
  // The agent's Markdown as the Connect chat panel shows it: **bold**, _italic_ or *italic*, `code`, lists.
  const markdownHtml = (text) =>
    escapeHtml(text)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|\W)[*_]([^*_\n]+)[*_](?=\W|$)/g, '$1<em>$2</em>')
      .replace(/^[-*] /gm, '• ');
  const formatted = (text) => {
    const span = el('span');
    span.innerHTML = whatsAppHtml(text);
    return span;
  };

  function businessMessage(message, { post, replyTo }) {
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
              replyTo(message.id);
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
      const interactive = item.contentType.includes('interactive') ? JSON.parse(item.text) : undefined;
      const body = interactive
        ? `[${interactive.templateType}] ${interactive.data.content.title}`
        : markdownHtml(item.text);
      const content = el('span');
      if (interactive) content.textContent = body;
      else content.innerHTML = body;
      return el(
        'li',
        { class: 'agent-msg' },
        content,
        el(
          'span',
          { class: 'receipt' },
          receipts[item.id] ? (receipts[item.id] === 'read' ? 'Read' : 'Delivered') : 'Sent',
        ),
      );
    }
    return el('li', { class: item.kind }, item.text);
  }

  window.SandboxMessages = { el, formatted, businessMessage, agentItem };
})();
