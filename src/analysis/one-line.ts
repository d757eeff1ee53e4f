/** The first line of an error's message: what results.json, JUnit and the terminal show (the rest goes to the log). */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}
