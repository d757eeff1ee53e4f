/**
 * A small XML well-formedness check for tests (no XML parser is installed): one root element,
 * properly nested tags, quoted attributes, only the five predefined entities, no raw `<` in text.
 * Returns the problem, or undefined when the document is well-formed.
 */
export function xmlProblem(xml: string): string | undefined {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const badEntity = (text: string) => /&(?!(amp|lt|gt|quot|apos);)/.test(text);
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (badEntity(text)) return `bad entity in text: ${text.slice(0, 40)}`;
    if (stack.length === 0 && text.trim() !== '') return `text outside the root: ${text.slice(0, 40)}`;
    if (lt === -1) break;
    rest = rest.slice(lt);
    const m = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!m) return `malformed tag at: ${rest.slice(0, 40)}`;
    const [whole, close, name, attrs, selfClose] = m;
    if (badEntity(attrs!)) return `bad entity in attributes of <${name}>`;
    if (close) {
      if (stack.pop() !== name) return `</${name}> does not close the open element`;
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
    rest = rest.slice(whole!.length);
  }
  if (stack.length > 0) return `unclosed <${stack.at(-1)}>`;
  if (roots !== 1) return `expected one root element, found ${roots}`;
  return undefined;
}
