import type { ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Alert } from '../components/Alert.tsx';
import { Button } from '../components/Button.tsx';
import { errorText } from '../errors.ts';

/** What a page that threw shows instead of a blank screen. */
export function ErrorPage({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  return (
    <div className="panel page-error">
      <Alert tone="error" title={t('web.errors.pageTitle')}>
        {errorText(t, error)}
      </Alert>
      <Button variant="secondary" onClick={reset}>
        {t('web.common.retry')}
      </Button>
    </div>
  );
}
