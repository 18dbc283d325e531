import { errors } from '@strapi/utils';
import type { FieldError } from '../../../common/field-error';

/**
 * FieldErrors → Strapi's ValidationError (HTTP 400). The message lists every problem (field path,
 * value, what is allowed); details.errors follows Strapi's own shape ({ path: segments, message, name }).
 */
export function validationError(list: FieldError[]): InstanceType<typeof errors.ValidationError> {
  const message = list.map((e) => e.message).join('; ');
  return new errors.ValidationError(message, {
    errors: list.map((e) => ({ path: e.path.split('.'), message: e.message, name: 'ValidationError', value: e.value })),
  });
}
