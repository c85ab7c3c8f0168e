/**
 * Word snapping for text selections, in UTF-16 indexes (the DOM's unit). A word is a run of
 * letters, digits, combining marks and connector punctuation; an apostrophe or hyphen between two
 * word characters joins them ("O'Brien", "Jean-Luc"). Surrogate pairs and combining accents are
 * never cut.
 */

const WORD = /[\p{L}\p{N}\p{M}\p{Pc}]/u;
const JOINER = /['’\-‐]/u;

function charAt(text: string, i: number): string {
  const c = text.codePointAt(i);
  return c === undefined ? "" : String.fromCodePoint(c);
}

/** The character ending just before UTF-16 index i (a whole surrogate pair). */
function charBefore(text: string, i: number): string {
  if (i <= 0) return "";
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(i - 2, i);
  }
  return text.slice(i - 1, i);
}

const isWord = (ch: string) => ch !== "" && WORD.test(ch);

/** Is the character starting at i part of a word (a joiner counts between two word characters)? */
function wordAt(text: string, i: number): boolean {
  const ch = charAt(text, i);
  if (isWord(ch)) return true;
  return ch !== "" && JOINER.test(ch) && isWord(charBefore(text, i)) && isWord(charAt(text, i + ch.length));
}

function wordBefore(text: string, i: number): boolean {
  const ch = charBefore(text, i);
  return ch !== "" && wordAt(text, i - ch.length);
}

/** Moves i off the middle of a surrogate pair (to its start). */
export function clampToCharacter(text: string, i: number): number {
  const u = Math.max(0, Math.min(text.length, i));
  if (u > 0 && u < text.length) {
    const c = text.charCodeAt(u);
    const p = text.charCodeAt(u - 1);
    if (c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff) return u - 1;
  }
  // A combining mark belongs to the character before it.
  let v = u;
  while (v > 0 && v < text.length && /\p{M}/u.test(charAt(text, v))) v -= charBefore(text, v).length;
  return v;
}

/**
 * The selection [start, end) trimmed of surrounding white space and, with `snap`, widened to whole
 * words at both ends. Null when nothing but white space is selected.
 */
export function snapSelection(text: string, start: number, end: number, snap = true): { start: number; end: number } | null {
  let s = clampToCharacter(text, Math.min(start, end));
  let e = Math.max(start, end);
  if (e < text.length) {
    // Do not end between a character and its combining marks or inside a surrogate pair.
    const ce = clampToCharacter(text, e);
    e = ce < e ? advanceCharacter(text, ce) : e;
  }
  e = Math.min(text.length, e);
  while (s < e && /\s/u.test(charAt(text, s))) s += charAt(text, s).length;
  while (e > s && /\s/u.test(charBefore(text, e))) e -= charBefore(text, e).length;
  if (s >= e) return null;
  if (snap) {
    if (wordAt(text, s)) while (s > 0 && wordBefore(text, s)) s -= charBefore(text, s).length;
    if (wordBefore(text, e)) while (e < text.length && wordAt(text, e)) e += charAt(text, e).length;
  }
  return { start: s, end: e };
}

/** Index after the character at i, with its combining marks. */
function advanceCharacter(text: string, i: number): number {
  let j = i + charAt(text, i).length;
  while (j < text.length && /\p{M}/u.test(charAt(text, j))) j += charAt(text, j).length;
  return j;
}
