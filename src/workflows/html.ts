import { compile } from 'html-to-text';
import { cleanText } from '../lib/sanitize.js';

/** Compiled once: compiling the selectors costs far more than converting one description. */
let converter: ((html: string) => string) | undefined;

/**
 * Tracker descriptions carry HTML; people and Apriora want clean text with lists and paragraphs kept. Entities are
 * decoded first and control characters removed after, so that `&#27;` cannot smuggle an ESC through.
 */
export function htmlToText(html: string): string {
  if (!html.trim()) return '';
  converter ??= compile({
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
    ],
  });
  return cleanText(converter(html), { multiline: true })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
