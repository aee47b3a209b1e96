// Building DOM nodes without innerHTML (stream and recording names are never parsed as HTML).

/**
 * An element with attributes and children. `class` and `text` set className and textContent,
 * `on<event>` functions become listeners, `true` is an empty attribute, and null, undefined and
 * false leave the attribute out.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/**
 * A <dl> row (wrapped in a div, so rows can sit in a grid); returns the <dd> to update later.
 * @param {HTMLElement} list
 * @param {string} term
 * @param {string} [stat] data-stat name, for tests and styling
 * @returns {HTMLElement}
 */
export function fact(list, term, stat) {
  const dd = el('dd', { 'data-stat': stat, text: '–' });
  list.append(el('div', {}, el('dt', { text: term }), dd));
  return dd;
}

/**
 * Sets text only when it changed (no needless layout work or screen-reader chatter).
 * @param {Element} node
 * @param {string} text
 */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
