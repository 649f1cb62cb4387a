import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';
import { errorText } from '../errors.ts';
import { Alert } from './Alert.tsx';

/** The error above a form's button: the translated error, plus details no field could show. */
export function FormError({ error, other = [] }: { error: unknown; other?: readonly string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  // Every detail already sits beside its field: point there rather than repeat a generic message.
  const allPlaced = isApiError(error) && error.details.length > 0 && other.length === 0;
  if (allPlaced || (isApiError(error) && error.code === 'request.invalid' && other.length === 0)) {
    return <Alert tone="error">{t('errors.request.invalid')}</Alert>;
  }
  return <Alert tone="error" title={errorText(t, error)} items={other} />;
}
