/**
 * Serializes a value as JSON that can be spliced between `<script type="application/json">`
 * tags: `<`, `>` and `&` become \u escapes so no value (say a history value `"</script><script>"`)
 * can close the element or open a comment, and U+2028/U+2029 are escaped because older JS
 * parsers treat them as line ends. The result still parses with JSON.parse to the same value.
 */
export function embedJson(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * Makes a trusted script or stylesheet (a bundled library) safe to inline: a literal `</script`
 * or `</style` inside it would end the element early, so the slash is escaped, which means the
 * same thing inside JS strings and regular expressions and CSS strings.
 */
export function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}
