/**
 * The field syntax shared by the machine-readable parts of bounce and complaint reports:
 * message/delivery-status (RFC 3464: a per-message group, a blank line, then one group per
 * recipient), message/feedback-report (RFC 5965: one group) and the header block of a returned
 * message (message/rfc822, text/rfc822-headers). Each group is RFC 5322 header fields: `Name:
 * value`, continued on lines that start with white space. mailparser hands these parts over as
 * attachments; this reads them. It never throws: what it cannot read it leaves out.
 */

/** One group of fields: lowercased name → every value given, in order. */
export type FieldGroup = Map<string, string[]>;

const MAX_FIELD_TEXT = 256 * 1024;

/** Reads the fields of one group (lines without a blank one between them). */
function readGroup(lines: string[]): FieldGroup {
  const group: FieldGroup = new Map();
  let name: string | null = null;
  let value = '';
  const flush = () => {
    if (name === null) return;
    const list = group.get(name) ?? [];
    list.push(value.replace(/\s+/g, ' ').trim());
    group.set(name, list);
    name = null;
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (name !== null) value += ' ' + line.trim();
      continue;
    }
    flush();
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (m) {
      name = m[1]!.toLowerCase();
      value = m[2]!;
    }
  }
  flush();
  return group;
}

/** Splits text into lines, whatever the line ends, reading at most the first 256 KiB. */
const linesOf = (text: string) => text.slice(0, MAX_FIELD_TEXT).split(/\r\n|\r|\n/);

/**
 * The groups of a delivery-status or feedback-report body, in order; blank lines separate
 * them and empty groups are dropped (some MTAs start the part with a blank line).
 */
export function readFieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let current: string[] = [];
  for (const line of linesOf(text)) {
    if (line.trim() === '') {
      if (current.length) groups.push(readGroup(current));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length) groups.push(readGroup(current));
  return groups.filter((g) => g.size > 0);
}

/** The header fields of a message (or of a header-only part): everything before the first blank line. */
export function readHeaderBlock(text: string): FieldGroup {
  const lines: string[] = [];
  for (const line of linesOf(text)) {
    if (line.trim() === '') break;
    lines.push(line);
  }
  return readGroup(lines);
}

/** The first value of a field, or undefined. */
export const field = (group: FieldGroup | undefined, name: string): string | undefined => group?.get(name.toLowerCase())?.[0];

/**
 * An address out of a typed field value (`rfc822; user@example.org`, `rfc822;<user@example.org>`)
 * or an address header (`Name <user@example.org>`); undefined when there is none.
 */
export function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let v = value.trim();
  const typed = /^([a-z0-9-]+)\s*;\s*(.*)$/i.exec(v);
  if (typed && !typed[1]!.includes('@')) {
    if (typed[1]!.toLowerCase() !== 'rfc822' && typed[1]!.toLowerCase() !== 'utf-8') return undefined;
    v = typed[2]!;
  }
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(v);
  if (angled) return angled[1]!;
  const bare = /([^\s<>"(),;:]+@[^\s<>"(),;:]+)/.exec(v);
  return bare ? bare[1]!.replace(/\.$/, '') : undefined;
}

/** A Message-ID in the form paperpost stores it, `<local@domain>`; undefined when there is none. */
export function messageIdOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /<([^<>\s]+)>/.exec(value) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(value);
  return m ? `<${m[1]}>` : undefined;
}
