/** Generated apps keep their own random secrets in their .env (dev/app-kit/app-secrets.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SECRET_ENV_NAMES, ensureAppSecrets, parseEnvFile, readAppEnv } from '../../dev/app-kit/app-secrets';

const dirs: string[] = [];
const tempApp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-video-secrets-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('ensureAppSecrets', () => {
  it('writes every secret, random, into a new app dir, readable by its owner only', () => {
    const dir = tempApp();
    const env = ensureAppSecrets(dir);
    expect(Object.keys(env).sort()).toEqual([...SECRET_ENV_NAMES].sort());
    expect(env.APP_KEYS.split(',')).toHaveLength(2);
    for (const value of Object.values(env).flatMap((v) => v.split(','))) expect(Buffer.from(value, 'base64')).toHaveLength(32);
    expect(fs.statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(readAppEnv(dir)).toEqual(env);
  });

  it('gives another app dir other secrets', () => {
    const a = ensureAppSecrets(tempApp());
    const b = ensureAppSecrets(tempApp());
    for (const name of SECRET_ENV_NAMES) expect(a[name]).not.toBe(b[name]);
  });

  it('keeps existing secrets and other lines on a re-run, and only fills in what is missing', () => {
    const dir = tempApp();
    const first = ensureAppSecrets(dir);
    expect(ensureAppSecrets(dir)).toEqual(first);
    const file = path.join(dir, '.env');
    const kept = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('JWT_SECRET=')).join('\n');
    fs.writeFileSync(file, `${kept}\nCOS_BUCKET=dev-1250000000\n`);
    const again = ensureAppSecrets(dir);
    expect({ ...again, JWT_SECRET: undefined, COS_BUCKET: undefined }).toEqual({ ...first, JWT_SECRET: undefined });
    expect(again.COS_BUCKET).toBe('dev-1250000000');
    expect(again.JWT_SECRET).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(again.JWT_SECRET).not.toBe(first.JWT_SECRET);
  });
});

describe('parseEnvFile', () => {
  it('reads KEY=value lines, skipping comments and blank lines, without surrounding quotes', () => {
    expect(parseEnvFile('# comment\n\nA=1\n B = "two words" \nC=\'x=y\'\nnot a line\n')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });
});
