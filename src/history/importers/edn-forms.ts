/**
 * Splits EDN text into its top-level forms without parsing them, remembering the line each one
 * starts on. Jepsen writes one op map per line, Knossos's test data one vector of maps spread
 * over many lines, with `;` comments anywhere: cutting forms by their brackets (and not by
 * lines) reads all of these, and keeps a line number for every op's error message.
 */

/** One top-level EDN form: its text and the 1-based line it starts on. */
export interface EdnForm {
  text: string;
  line: number;
}

const OPENERS = '([{';
const CLOSERS = ')]}';

/**
 * Cuts `text` into top-level forms. Comments (`;` to the end of the line), commas and whitespace
 * between forms are dropped; strings and character literals may hold brackets. An unbalanced
 * closer or an unclosed form is reported by the caller's parser, so the text is returned as is.
 */
export function splitEdnForms(text: string, firstLine = 1): EdnForm[] {
  const forms: EdnForm[] = [];
  let line = firstLine;
  let depth = 0;
  let start = -1;
  let startLine = line;
  const close = (end: number): void => {
    forms.push({ text: text.slice(start, end), line: startLine });
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (c === ';') {
      if (start >= 0 && depth === 0) close(i);
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    const blank = c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ',';
    if (start < 0) {
      if (blank) continue;
      start = i;
      startLine = line;
    } else if (depth === 0 && (blank || (OPENERS.includes(c) && text[start] !== '#'))) {
      // An atom (a number, keyword, symbol) ends at whitespace or where the next form opens; a
      // tag such as `#{` or `#jepsen.independent.Tuple{` belongs to the form it opens.
      close(i);
      if (blank) continue;
      start = i;
      startLine = line;
    }
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
      }
    } else if (c === '\\') {
      i++;
    } else if (OPENERS.includes(c)) {
      depth++;
    } else if (CLOSERS.includes(c)) {
      depth--;
      if (depth <= 0) {
        depth = 0;
        close(i + 1);
      }
    }
  }
  if (start >= 0) forms.push({ text: text.slice(start), line: startLine });
  return forms;
}

/** The forms inside one bracketed form (a vector or list of ops), with their own lines. */
export function innerEdnForms(form: EdnForm): EdnForm[] {
  const open = form.text.startsWith('#') ? 2 : 1;
  return splitEdnForms(form.text.slice(open, form.text.length - 1), form.line);
}
