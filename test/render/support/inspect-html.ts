import { parse } from 'parse5';

type Node = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string; content?: Node };

/** What a parsed HTML document contains, for assertions about untrusted input. */
export interface HtmlInventory {
  /** Lowercased tag names of every element, in document order. */
  tags: string[];
  /** Every attribute as name=value. */
  attributes: { tag: string; name: string; value: string }[];
  /** Every href value. */
  hrefs: string[];
  /** Text of each element with this tag name (h2, h3, li, ...). */
  textOf: (tag: string) => string[];
  /** ids of elements. */
  ids: string[];
}

/** Parses HTML the way a browser does (parse5) and lists its elements, attributes and links. */
export function inspectHtml(html: string): HtmlInventory {
  const doc = parse(html) as unknown as Node;
  const tags: string[] = [];
  const attributes: HtmlInventory['attributes'] = [];
  const texts = new Map<string, string[]>();
  const textOfNode = (node: Node): string =>
    node.nodeName === '#text' ? (node.value ?? '') : (node.childNodes ?? []).map(textOfNode).join('');
  const walk = (node: Node) => {
    if (node.tagName) {
      tags.push(node.tagName.toLowerCase());
      for (const a of node.attrs ?? []) attributes.push({ tag: node.tagName, name: a.name.toLowerCase(), value: a.value });
      const list = texts.get(node.tagName) ?? [];
      list.push(textOfNode(node));
      texts.set(node.tagName, list);
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(doc);
  return {
    tags,
    attributes,
    hrefs: attributes.filter((a) => a.name === 'href').map((a) => a.value),
    textOf: (tag) => texts.get(tag) ?? [],
    ids: attributes.filter((a) => a.name === 'id').map((a) => a.value),
  };
}
