/**
 * Text written outside React many times a second (the funnel, the lag
 * readout: every animation frame while a preview plays). `textContent =`
 * makes a new Text node each time, and the old ones are garbage for the
 * renderer's DOM heap: ~300 a second with a preview on, which kept the
 * page's native memory tens of MB higher in the soak (issue 8). Changing
 * the one Text node's value in place makes none.
 */

/** Set `el`'s text to `text`, reusing its Text node; nothing when it already reads so. */
export function setText(el: Element, text: string): void {
  const node = el.firstChild;
  if (node !== null && node === el.lastChild && node.nodeType === 3) {
    if (node.nodeValue !== text) node.nodeValue = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}

/** Make `list`'s children one `<li>` per line, reusing the items it has (only the count changes nodes). */
export function setListItems(list: Element, lines: readonly string[]): void {
  while (list.children.length > lines.length) list.lastElementChild?.remove();
  while (list.children.length < lines.length) list.appendChild(list.ownerDocument.createElement('li'));
  lines.forEach((line, i) => setText(list.children[i], line));
}
