/**
 * Tiny XML writer. Output is compact (no whitespace between elements) because the SDK's
 * parser keeps untrimmed text nodes; values are always strings, as COS sends them.
 */
export type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') return `<${name}>${body(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function body(node: XmlNode): string {
  return Object.entries(node)
    .map(([k, v]) => element(k, v))
    .join('');
}

export function toXml(root: string, node: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, node)}`;
}
