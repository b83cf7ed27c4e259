import type { FieldCause } from '../../kinds/errors';
import {
  duplicateValue,
  forbidden,
  invalidValue,
  requiredValue,
  tooMany,
  unsupportedValue,
} from '../../kinds/field-error';

/**
 * apimachinery's field.Required, Invalid, NotSupported, Forbidden, Duplicate and TooMany as
 * StatusCauses: the constructors CRD validation is written with, so each check reads as kube's.
 */
export const required = (field: string, detail = ''): FieldCause => ({
  reason: 'FieldValueRequired',
  field,
  message: requiredValue(detail),
});

export const invalid = (field: string, value: unknown, detail: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: invalidValue(value, detail),
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: unsupportedValue(value, supported),
});

export const forbid = (field: string, detail: string): FieldCause => ({
  reason: 'FieldValueForbidden',
  field,
  message: forbidden(detail),
});

export const duplicate = (field: string, value: unknown): FieldCause => ({
  reason: 'FieldValueDuplicate',
  field,
  message: duplicateValue(value),
});

export const tooManyItems = (field: string, actual: number, max: number): FieldCause => ({
  reason: 'FieldValueTooMany',
  field,
  message: tooMany(actual, max),
});
