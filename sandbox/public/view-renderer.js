// Renders a Connect view (the views/ JSON) with its view data, generically and tolerantly: known
// components get their usual form, unknown ones render their children and any text they carry,
// and every action the view declares gets a button if no component offered it. `onAction` gets
// the action name and the form's values.

window.renderView = (container, view, data, onAction) => {
  const resolve = (value) => {
    if (typeof value === 'string' && value.startsWith('$.')) {
      const found = data?.[value.slice(2)];
      return found === undefined ? '' : found;
    }
    return value;
  };
  const truthy = (value) => {
    const resolved = resolve(value);
    return !(
      resolved === false ||
      resolved === '' ||
      resolved === 'false' ||
      resolved === undefined ||
      resolved === null
    );
  };
  const offered = new Set();
  const form = document.createElement('form');
  form.addEventListener('submit', (event) => event.preventDefault());
  const values = () => Object.fromEntries(new FormData(form).entries());
  const button = (label, action, className) => {
    const element = document.createElement('button');
    element.type = 'button';
    if (className) element.className = className;
    element.textContent = label || action;
    offered.add(action);
    element.addEventListener('click', () => onAction(action, values()));
    return element;
  };
  const text = (tag, value) => {
    const element = document.createElement(tag);
    element.textContent = String(resolve(value) ?? '');
    return element;
  };
  const render = (node, parent) => {
    if (typeof node === 'string') return parent.append(text('span', node));
    if (!node || typeof node !== 'object') return;
    const props = node.Props || {};
    if ('Visibility' in props && !truthy(props.Visibility)) return;
    const content = Array.isArray(node.Content) ? node.Content : [];
    switch (node.Type) {
      case 'Header': {
        const heading = text(props.variant === 'h2' ? 'h3' : 'h4', content.map(resolve).join(' '));
        parent.append(heading);
        if (props.description) parent.append(text('p', props.description));
        return;
      }
      case 'FormInput': {
        const label = document.createElement('label');
        label.append(String(resolve(props.Label) ?? props.Name));
        const input = document.createElement('input');
        input.name = props.Name;
        input.type = props.InputType === 'password' ? 'text' : props.InputType || 'text';
        input.value = String(resolve(props.DefaultValue) ?? '');
        input.disabled = props.Disabled === true;
        label.append(input);
        if (props.HelperText && resolve(props.HelperText)) label.append(text('small', props.HelperText));
        return parent.append(label);
      }
      case 'Card': {
        const card = button('', props.Action, 'card');
        card.append(
          text('strong', props.Heading),
          document.createElement('br'),
          text('span', props.Description),
        );
        return parent.append(card);
      }
      case 'Button':
      case 'SubmitButton':
        return parent.append(button(resolve(props.Label) || content.map(resolve).join(' '), props.Action));
      default: {
        const box = document.createElement('div');
        for (const child of content) render(child, box);
        for (const key of ['Heading', 'Label', 'Title'])
          if (typeof props[key] === 'string') box.prepend(text('p', props[key]));
        parent.append(box);
      }
    }
  };
  // An AWS-managed view (Cards, Form, Detail…) has no template here: its data says what to show.
  // Cards become buttons (the action is the card's Id), objects with a Name become inputs, texts
  // are shown, and navigation keys (Next, Back, Cancel…) become buttons named by their value.
  const NAVIGATION = ['Next', 'Back', 'Cancel', 'Skip', 'Confirm', 'Submit', 'Edit'];
  const renderData = (value, parent, key = '') => {
    if (Array.isArray(value)) {
      for (const item of value) renderData(item, parent, key);
      return;
    }
    if (value && typeof value === 'object') {
      if (key === 'Cards' || value.Summary) {
        const summary = value.Summary || value;
        const card = button('', String(summary.Id ?? summary.Heading ?? key), 'card');
        card.append(
          text('strong', summary.Heading ?? summary.Id ?? ''),
          document.createElement('br'),
          text('span', summary.Description ?? summary.Status ?? ''),
        );
        return parent.append(card);
      }
      if (typeof value.Name === 'string' && ('Label' in value || 'DefaultValue' in value)) {
        return render({ Type: 'FormInput', Props: value }, parent);
      }
      for (const [name, item] of Object.entries(value)) renderData(item, parent, name);
      return;
    }
    if (NAVIGATION.includes(key) && typeof value === 'string') return parent.append(button(value, key));
    if (typeof value === 'string' && value !== '')
      parent.append(text(/Heading|Title/.test(key) ? 'h4' : 'p', value));
  };
  container.replaceChildren();
  const head = view?.Template?.Head?.Title;
  if (head) container.append(text('h3', head));
  const body = view?.Template?.Body;
  if (Array.isArray(body)) for (const node of body) render(node, form);
  else renderData(data, form);
  for (const action of view?.Actions || []) if (!offered.has(action)) form.append(button(action, action));
  container.append(form);
};
