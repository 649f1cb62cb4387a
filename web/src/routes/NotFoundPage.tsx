import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { useTitle } from '../format.ts';

/** An unknown path outside the console: a full page. */
export function NotFoundPage() {
  const { t } = useTranslation();
  useTitle(t('web.notFound.title'));
  return (
    <AuthLayout title={t('web.notFound.title')}>
      <p>{t('web.notFound.body')}</p>
      <p className="form-actions">
        <Link to="/console" className="button button-primary">
          {t('web.notFound.toConsole')}
        </Link>
      </p>
    </AuthLayout>
  );
}

/** An unknown path inside the console: a panel within the console's frame. */
export function InlineNotFound() {
  const { t } = useTranslation();
  useTitle(t('web.notFound.title'));
  return (
    <div className="panel">
      <h1>{t('web.notFound.title')}</h1>
      <p>{t('web.notFound.body')}</p>
      <Link to="/console" className="button button-secondary">
        {t('web.notFound.toConsole')}
      </Link>
    </div>
  );
}
