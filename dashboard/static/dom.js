/**
 * Creates an element. Children are nodes or text; text is always inserted as text, never parsed
 * as HTML, so names and messages from the server cannot inject markup.
 * Attributes: `false`/`null`/`undefined` are left out, `true` sets an empty attribute.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/**
 * A table: `columns` are `{ title, cell(row) => node|text, className? }`; `rowAttributes(row)`
 * adds attributes to each row (tests and styles find rows by them).
 */
export function table(columns, rows, rowAttributes = () => ({})) {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { class: column.className, scope: 'col' }, column.title)))),
    h(
      'tbody',
      {},
      rows.map((row) => h('tr', rowAttributes(row), columns.map((column) => h('td', { class: column.className, 'data-field': column.field }, column.cell(row))))),
    ),
  );
}

/** A friendly "nothing here yet" block with what to do about it. */
export function emptyState(message, command) {
  return h('div', { class: 'empty' }, h('p', {}, message), command ? h('code', { class: 'command' }, command) : null);
}

/** Replaces the children of the element with id `id`. */
export function fill(id, ...children) {
  document.getElementById(id).replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined));
}

/** Shows or hides the element with id `id`. */
export function show(id, visible = true) {
  document.getElementById(id).hidden = !visible;
}
