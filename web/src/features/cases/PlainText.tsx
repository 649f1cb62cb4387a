import './plain-text.css';

/**
 * Text someone outside wrote (a reporter, a mail): always a React text node, never HTML and never a
 * link. Line breaks are kept by CSS (`white-space: pre-wrap`); `dir="auto"` keeps right-to-left text
 * and stray direction marks from reordering the page around it.
 */
export function PlainText({
  text,
  mono = false,
  block = false,
  inline = false,
}: {
  text: string;
  mono?: boolean;
  /** A scrollable, boxed block (proof of concept, keys, mail). */
  block?: boolean;
  inline?: boolean;
}) {
  const className = ['plain-text', mono ? 'mono' : '', block ? 'plain-text-block' : '']
    .filter(Boolean)
    .join(' ');
  if (inline) {
    return (
      <bdi className={className} dir="auto">
        {text}
      </bdi>
    );
  }
  return (
    <div className={className} dir="auto">
      {text}
    </div>
  );
}
