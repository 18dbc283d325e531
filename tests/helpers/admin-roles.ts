/**
 * Admin roles, users and API tokens made through Strapi's own admin API (what Settings →
 * Administration Panel → Roles / Users and Settings → API Tokens call), for RBAC tests.
 */
import { jsonRequest, type Reply } from './http';

export interface RolePermission {
  action: string;
  subject?: string | null;
  /** Field-level permissions: `{ fields: ['title'] }`. */
  properties?: Record<string, unknown>;
  /** Strapi RBAC conditions, e.g. `['admin::is-creator']`. */
  conditions?: string[];
}

export interface AdminUser {
  id: number;
  token: string;
}

const call = (url: string, method: string, path: string, token: string | null, body?: unknown): Promise<Reply> => jsonRequest(`${url}${path}`, method, body, token);

function ok<T extends { status: number; text: string }>(what: string, r: T): T {
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r;
}

/** The id of a built-in role: `strapi-editor`, `strapi-author`, `strapi-super-admin`. */
export async function builtInRoleId(url: string, superToken: string, code: string): Promise<number> {
  const roles = ok('list roles', await call(url, 'GET', '/admin/roles', superToken));
  const role = (roles.json.data as Array<{ id: number; code: string }>).find((r) => r.code === code);
  if (!role) throw new Error(`no role ${code}: ${roles.text}`);
  return role.id;
}

/** A new role holding exactly `permissions`. */
export async function createRole(url: string, superToken: string, name: string, permissions: RolePermission[]): Promise<number> {
  const created = ok(`create role ${name}`, await call(url, 'POST', '/admin/roles', superToken, { name, description: `${name} (test)` }));
  const id = created.json.data.id as number;
  ok(
    `permissions of ${name}`,
    await call(url, 'PUT', `/admin/roles/${id}/permissions`, superToken, {
      permissions: permissions.map((p) => ({ action: p.action, subject: p.subject ?? null, properties: p.properties ?? {}, conditions: p.conditions ?? [] })),
    }),
  );
  return id;
}

/** Invites an admin user with `roleId`, registers them, and returns their id and admin JWT. */
export async function createAdminUser(url: string, superToken: string, name: string, roleId: number): Promise<AdminUser> {
  const email = `${name.toLowerCase()}@example.com`;
  const created = ok(`create user ${name}`, await call(url, 'POST', '/admin/users', superToken, { firstname: name, lastname: 'Tester', email, roles: [roleId] }));
  const registered = ok(
    `register ${name}`,
    await call(url, 'POST', '/admin/register', null, {
      registrationToken: created.json.data.registrationToken,
      userInfo: { firstname: name, lastname: 'Tester', password: 'Tester12345' },
    }),
  );
  const token = registered.json.data.token as string;
  const me = ok(`me ${name}`, await call(url, 'GET', '/admin/users/me', token));
  return { id: me.json.data.id as number, token };
}

/** A content-API token (Settings → API Tokens) of the given type; returns its access key. */
export async function createApiToken(url: string, superToken: string, name: string, type: 'full-access' | 'read-only'): Promise<string> {
  const created = ok(`api token ${name}`, await call(url, 'POST', '/admin/api-tokens', superToken, { name, description: 'test', type, lifespan: null }));
  return created.json.data.accessKey as string;
}
