// Draws the AWS managed views the guide flow shows (Cards, Form, Detail) from their view data, as
// the Connect agent workspace does, and answers what the agent did as Connect sets it after a
// ShowView block: `{ Action, ViewResultData }` (the branch, and `$.Views.ViewResultData`). Shapes:
// docs/agent-initiated-templates.md (Connect admin guide, "AWS managed views"; AWS's step-by-step
// guides sample). Nothing here decides anything the flow or the Lambdas decide.

(() => {
  const el = (tag, attributes = {}, ...children) => {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
      else if (value !== false && value !== undefined) element.setAttribute(key, value === true ? '' : value);
    }
    element.append(...children.filter((child) => child !== undefined && child !== null));
    return element;
  };
  const str = (value) => (value === undefined || value === null ? '' : String(value));
  const button = (label, onclick, className) =>
    el('button', { type: 'button', class: className, onclick }, str(label));

  // A card's TemplateString is markup: only plain formatting is kept, as text nodes, never as HTML.
  const KEPT = new Set(['P', 'BR', 'STRONG', 'B', 'EM', 'I', 'UL', 'OL', 'LI', 'CODE', 'SPAN']);
  const markup = (html) => {
    const parsed = new DOMParser().parseFromString(str(html), 'text/html').body;
    const copy = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
      if (node.nodeType !== Node.ELEMENT_NODE) return null;
      const children = [...node.childNodes].map(copy).filter(Boolean);
      if (!KEPT.has(node.tagName)) return children.length ? el('span', {}, ...children) : null;
      return el(node.tagName.toLowerCase(), {}, ...children);
    };
    return el('div', { class: 'markup' }, ...[...parsed.childNodes].map(copy).filter(Boolean));
  };

  // AttributeBar: label and value pairs (all managed views).
  const attributeBar = (items) =>
    Array.isArray(items) && items.length
      ? el(
          'dl',
          { class: 'attribute-bar' },
          ...items.flatMap((item) => [el('dt', {}, str(item?.Label)), el('dd', {}, str(item?.Value))]),
        )
      : undefined;
  // `Back: { Label }` is the view's way out, at its top; it answers Action "Back".
  const back = (data, answer) =>
    data.Back ? button(`‹ ${str(data.Back.Label || 'Back')}`, () => answer('Back'), 'back') : undefined;
  const header = (data, answer) => [
    back(data, answer),
    data.Heading ? el('h3', {}, str(data.Heading)) : undefined,
    data.SubHeading ? el('p', { class: 'subheading', role: 'status' }, str(data.SubHeading)) : undefined,
    data.Description ? el('p', {}, str(data.Description)) : undefined,
    attributeBar(data.AttributeBar),
  ];

  // Cards: a list of summaries; opening one shows its Detail, whose action buttons answer
  // ActionSelected with the button's text as actionName. NoMatchFound answers NoMatchFound.
  const cards = (data, answer) => {
    const list = Array.isArray(data.Cards) ? data.Cards : [];
    const body = el('div');
    const showList = () =>
      body.replaceChildren(
        el(
          'ul',
          { class: 'cards', 'aria-label': 'Cards' },
          ...list.map((card) => {
            const summary = card?.Summary ?? {};
            return el(
              'li',
              {},
              el(
                'button',
                { type: 'button', class: 'card', onclick: () => showDetail(card) },
                el('strong', {}, str(summary.Heading)),
                summary.Status ? el('span', { class: 'status' }, ` ${str(summary.Status)}`) : undefined,
                el('br'),
                el('span', {}, str(summary.Description)),
              ),
            );
          }),
        ),
        data.NoMatchFound
          ? button(data.NoMatchFound.Label || 'No match found', () => answer('NoMatchFound'))
          : undefined,
      );
    const showDetail = (card) => {
      const detail = card?.Detail ?? {};
      body.replaceChildren(
        el(
          'article',
          { class: 'card-detail', 'aria-label': str(detail.Heading || card?.Summary?.Heading) },
          button('‹ All cards', showList, 'back'),
          el('h4', {}, str(detail.Heading)),
          detail.Description ? el('p', {}, str(detail.Description)) : undefined,
          detail.Sections?.TemplateString ? markup(detail.Sections.TemplateString) : undefined,
          ...(detail.Actions ?? []).map((action) =>
            button(action, () => answer('ActionSelected', { actionName: str(action) }), 'primary'),
          ),
        ),
      );
    };
    showList();
    return [...header(data, answer), body];
  };

  // Form: Sections of read-only data (DataSection, editable inputs when IsEditable) and inputs
  // (FormSection of FormInput); Next answers Next with every input under FormData.
  const input = (name, label, value, props = {}) =>
    el(
      'label',
      {},
      str(label || name),
      el('input', {
        name,
        type: props.InputType || 'text',
        value: str(value),
        required: props.Required === true,
      }),
    );
  const section = (item) => {
    const items = Array.isArray(item?.Items) ? item.Items : [];
    const content =
      item?.Type === 'FormSection'
        ? items.map((field) => input(field.Name, field.Label, field.DefaultValue, field))
        : item?.IsEditable === true
          ? items.map((field) => input(field.Name ?? field.Label, field.Label, field.Value))
          : [
              el(
                'dl',
                {},
                ...items.flatMap((field) => [el('dt', {}, str(field.Label)), el('dd', {}, str(field.Value))]),
              ),
            ];
    return el('fieldset', {}, el('legend', {}, str(item?.Heading)), ...content);
  };
  const form = (data, answer) => {
    const element = el(
      'form',
      {},
      ...(Array.isArray(data.Sections) ? data.Sections.map(section) : []),
      data.Next
        ? el('button', { type: 'submit', class: 'primary' }, str(data.Next.Label || 'Next'))
        : undefined,
    );
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      answer('Next', { FormData: Object.fromEntries(new FormData(element).entries()) });
    });
    return [...header(data, answer), element];
  };

  // Detail: static Sections; each of Actions answers ActionSelected with its text as actionName.
  const detail = (data, answer) => [
    ...header(data, answer),
    ...(Array.isArray(data.Sections) ? data.Sections : []).map((item) =>
      typeof item === 'string' ? el('p', {}, item) : markup(item?.TemplateString),
    ),
    ...(Array.isArray(data.Actions) ? data.Actions : []).map((action) =>
      button(action, () => answer('ActionSelected', { actionName: str(action) })),
    ),
  ];

  const VIEWS = { cards, form, detail };
  /** Draws `view` ('cards' | 'form' | 'detail') with its data; `onResult` gets `{ Action, ViewResultData }`. */
  window.renderManagedView = (container, view, data, onResult) => {
    const draw = VIEWS[view];
    const answer = (Action, ViewResultData = {}) => onResult({ Action, ViewResultData });
    container.replaceChildren(
      ...(draw
        ? draw(data ?? {}, answer)
        : [el('p', { role: 'alert' }, `The sandbox cannot draw the view “${str(view)}”.`)]
      ).filter(Boolean),
    );
  };
})();
