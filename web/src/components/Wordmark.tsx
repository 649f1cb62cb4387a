import { Link } from '@tanstack/react-router';

/** Haven's mark: an anchor in a rounded square, and the name. */
export function Wordmark({ to = '/console' }: { to?: '/console' | '/sign-in' }) {
  return (
    <Link to={to} className="wordmark">
      <svg className="wordmark-icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="7" className="wordmark-bg" />
        <path
          d="M16 6v17M10 11h12M7 17c0 5 4 8 9 8s9-3 9-8"
          fill="none"
          className="wordmark-fg"
          strokeWidth="2.6"
          strokeLinecap="round"
        />
      </svg>
      <span className="wordmark-text">Haven</span>
    </Link>
  );
}
