import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Wordmark } from './Wordmark.tsx';

/** The frame of every page outside the console: mark, language switch, one centred card. */
export function AuthLayout({
  title,
  intro,
  wide = false,
  children,
}: {
  title: string;
  intro?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="auth-page">
      <header className="auth-header">
        <Wordmark to="/sign-in" />
        <LanguageSwitch />
      </header>
      <main className={wide ? 'auth-card auth-card-wide' : 'auth-card'} id="main">
        <h1 className="auth-title">{title}</h1>
        {intro && <div className="auth-intro">{intro}</div>}
        {children}
      </main>
    </div>
  );
}
