/**
 * CSV cells that a spreadsheet would run as a formula. A public sign-up can name itself
 * =HYPERLINK("http://evil.example/","x"); `subscribers export` is opened in spreadsheets, so
 * a cell starting with = + - @, a tab or a carriage return gets a leading ' (the usual
 * neutralising: the spreadsheet shows the text), and `subscribers import` takes that ' off
 * again, so an export still imports back exactly. A cell that already starts with quotes
 * before such a character gets one more, so the round trip keeps it as it was.
 */

/** Quotes, then a character that starts a formula. */
const FORMULA = /^'*[=+\-@\t\r]/;

/** A cell as `subscribers export` writes it. */
export const guardCell = (value: string): string => (FORMULA.test(value) ? `'${value}` : value);

/** A cell as `subscribers import` reads it: the ' of guardCell taken off. */
export const unguardCell = (value: string): string => (value.startsWith("'") && FORMULA.test(value) ? value.slice(1) : value);
