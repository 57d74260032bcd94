/**
 * Text for a Slack message, inert: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;` (Slack's own escaping, so no
 * `<!channel>`, `<@U123>` or `<url|label>` can be formed), and `@channel`, `@here`, `@everyone` get a word joiner
 * after the `@` so they never notify anyone.
 */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(channel|here|everyone)\b/gi, "@\u2060$1");
}
