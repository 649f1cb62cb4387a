import type { ReactNode } from 'react';

type AlertProps = {
  tone?: 'error' | 'success' | 'warning' | 'info';
  title?: string;
  children?: ReactNode;
  items?: readonly string[];
};

/** A message box; errors and successes are announced to screen readers. */
export function Alert({ tone = 'error', title, children, items }: AlertProps) {
  const role = tone === 'error' ? 'alert' : 'status';
  return (
    <div className={`alert alert-${tone}`} role={role}>
      {title && <p className="alert-title">{title}</p>}
      {children && <div className="alert-body">{children}</div>}
      {items && items.length > 0 && (
        <ul className="alert-list">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
