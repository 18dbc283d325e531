import { OPERATION_KINDS, type OperationKind, type OperationRef, type OperationRequest, type RetryItemRequest } from '../../../../common/contracts/thumbnail-operations';
import { fieldError } from '../../../../common/field-error';
import { containsCosFields } from '../../field/paths';
import { schemaFieldPaths } from '../../thumbnails/operations/values';
import { check, throwIfAny, validateBody } from './body';

const cosTypes = () => Object.keys(strapi.contentTypes).filter((uid) => containsCosFields(strapi, uid));
const ID_ALLOWED = 'the id of an operation, a number as a string such as "12"';
const isId = (v: unknown) => typeof v === 'string' && /^\d{1,15}$/.test(v);

/** POST /thumbnails/dry-run and /thumbnails/operations body: `kind`, and an optional scope (`fieldPath` needs `uid`). */
export function validateOperationRequest(body: unknown): OperationRequest {
  const b = validateBody<Record<string, unknown>>(body, {
    kind: check('kind', 'is not an operation', OPERATION_KINDS.map((k) => `"${k}"`).join(', '), (v) => OPERATION_KINDS.includes(v as OperationKind)),
    uid: check('uid', 'is not a content type with a COS video field', `left out (every content type) or one of ${cosTypes().map((u) => `"${u}"`).join(', ') || 'none'}`, (v) =>
      v === undefined || v === null || (typeof v === 'string' && cosTypes().includes(v)),
    ),
    fieldPath: check('fieldPath', 'must be a non-empty string', 'left out (every field) or an attribute path such as "video" or "blocks.video"', (v) =>
      v === undefined || v === null || (typeof v === 'string' && v !== ''),
    ),
  });
  const uid = typeof b.uid === 'string' ? b.uid : undefined;
  const fieldPath = typeof b.fieldPath === 'string' ? b.fieldPath : undefined;
  if (fieldPath !== undefined) {
    // Only now that uid is known good: the allowed paths are that content type's.
    if (uid === undefined) throwIfAny([fieldError('fieldPath', fieldPath, 'needs a uid', 'a fieldPath together with the uid of its content type')]);
    const paths = schemaFieldPaths(strapi, uid!);
    if (!paths.includes(fieldPath)) {
      throwIfAny([fieldError('fieldPath', fieldPath, `is not a COS video field of ${uid}`, paths.map((p) => `"${p}"`).join(', '))]);
    }
  }
  return { kind: b.kind as OperationKind, ...(uid ? { uid } : {}), ...(fieldPath ? { fieldPath } : {}) };
}

/** POST /thumbnails/operations/{pause,resume,cancel} body, and GET /thumbnails/operation query. */
export function validateOperationRef(body: unknown): OperationRef {
  const b = validateBody<Record<string, unknown>>(body, {
    id: check('id', 'is not an operation id', ID_ALLOWED, isId),
  });
  return { id: b.id as string };
}

/** POST /thumbnails/operations/retry-item body. */
export function validateRetryItemRequest(body: unknown): RetryItemRequest {
  const b = validateBody<Record<string, unknown>>(body, {
    id: check('id', 'is not an operation id', ID_ALLOWED, isId),
    itemId: check('itemId', 'is not an item id', 'the itemId of one of the operation\'s failures, a number as a string', isId),
  });
  return { id: b.id as string, itemId: b.itemId as string };
}
