import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';
import { errorText } from '../errors.ts';
import { Alert } from './Alert.tsx';

/** The error above a form's button: the translated error, plus details no field could show. */
export function FormError({ error, other = [] }: { error: unknown; other?: readonly string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const isValidation = isApiError(error) && error.code === 'request.invalid';
  if (isValidation && other.length === 0) {
    return <Alert tone="error">{t('errors.request.invalid')}</Alert>;
  }
  return <Alert tone="error" title={errorText(t, error)} items={other} />;
}
