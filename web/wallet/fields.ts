import type { FormInstance } from 'antd-mobile/es/components/form';
import { ApiError } from '../shared/api';
import { errorMessage, messageForCode } from '../shared/problems';

/** Which form field a problem code is about, so the message shows under that field. */
const FIELD_OF_CODE: Record<string, string> = {
  INVALID_PHONE: 'phone',
  PHONE_TAKEN: 'phone',
  SMS_CODE_INVALID: 'smsCode',
  INVALID_ID_NUMBER: 'idNumber',
  ID_NUMBER_TAKEN: 'idNumber',
  UNDERAGE: 'idNumber',
  INVALID_NAME: 'name',
  PASSWORD_TOO_WEAK: 'password',
  PASSWORD_INVALID: 'currentPassword',
  TOTP_INVALID: 'totpCode',
};

/**
 * Shows an API failure on the form: on the field it concerns when there is one (and the field
 * exists in this form), otherwise returns the message for a banner.
 */
export function applyProblem(
  form: FormInstance,
  error: unknown,
  names: string[],
  rename: Record<string, string> = {},
): string | null {
  if (error instanceof ApiError) {
    if (error.code === 'VALIDATION_FAILED' && error.problem.errors?.length) {
      const fields = error.problem.errors.filter((e) => names.includes(e.field));
      if (fields.length) {
        form.setFields(fields.map((e) => ({ name: e.field, errors: [messageForCode('VALIDATION_FAILED')] })));
        return null;
      }
    }
    const field = rename[error.code] ?? FIELD_OF_CODE[error.code];
    if (field && names.includes(field)) {
      form.setFields([{ name: field, errors: [errorMessage(error)] }]);
      return null;
    }
  }
  return errorMessage(error);
}
