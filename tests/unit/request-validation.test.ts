import { errors } from '@strapi/utils';
import { check, optionalNonEmptyString, validateBody } from '../../server/src/controllers/validation/body';

const fields = {
  name: check('name', 'must be a non-empty string', 'a name such as "intro"', (v) => typeof v === 'string' && v !== ''),
  size: check('size', 'must be a positive integer', 'bytes, at least 1', (v) => Number.isInteger(v) && (v as number) > 0),
  note: optionalNonEmptyString('note', 'any text'),
};

const failure = (body: unknown) => {
  try {
    validateBody(body, fields);
  } catch (e) {
    return e as InstanceType<typeof errors.ValidationError>;
  }
  throw new Error('expected a ValidationError');
};

describe('validateBody (admin API request bodies)', () => {
  it('returns a valid body unchanged', () => {
    const body = { name: 'intro', size: 3, note: null };
    expect(validateBody(body, fields)).toBe(body);
  });

  it('reports every bad field at once, in the order the fields are declared, naming value and what is allowed', () => {
    const e = failure({ note: '', size: 0, name: 5 });
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.message).toBe(
      'name must be a non-empty string: got 5; allowed: a name such as "intro"; ' +
        'size must be a positive integer: got 0; allowed: bytes, at least 1; ' +
        'note must be a non-empty string: got ""; allowed: any text'
    );
    expect((e.details as { errors: Array<{ path: string[]; value: unknown }> }).errors.map((x) => [x.path, x.value])).toEqual([
      [['name'], 5],
      [['size'], 0],
      [['note'], ''],
    ]);
  });

  it('a missing required field is named with "got nothing"', () => {
    expect(failure({ size: 1 }).message).toBe('name must be a non-empty string: got nothing; allowed: a name such as "intro"');
  });

  it.each([[null], [[1, 2]], ['text'], [42]])('a body that is not a JSON object (%j) is refused as such', (body) => {
    expect(failure(body).message).toMatch(/^body must be a JSON object: got .*; allowed: a JSON object/);
  });
});
