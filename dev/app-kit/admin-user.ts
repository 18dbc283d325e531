export interface AdminCredentials {
  email: string;
  password: string;
  firstname?: string;
  lastname?: string;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/**
 * Registers the first super admin when the instance has none, otherwise logs in.
 * Returns the admin JWT (use as `Authorization: Bearer <token>` on /admin and /content-manager routes).
 */
export async function createAdmin(url: string, creds: AdminCredentials): Promise<{ token: string }> {
  const init = await fetch(`${url}/admin/init`).then((r) => r.json() as Promise<any>);
  if (!init?.data?.hasAdmin) {
    const reg = await post(`${url}/admin/register-admin`, {
      firstname: creds.firstname ?? 'Demo',
      lastname: creds.lastname ?? 'Admin',
      email: creds.email,
      password: creds.password,
    });
    if (reg.status === 200 || reg.status === 201) return { token: reg.json.data.token };
    // Another caller may have registered in between: fall through to login.
  }
  const login = await post(`${url}/admin/login`, { email: creds.email, password: creds.password });
  if (login.status !== 200 || !login.json?.data?.token) {
    throw new Error(`createAdmin: login as ${creds.email} failed (${login.status}): ${JSON.stringify(login.json?.error ?? login.json)}`);
  }
  return { token: login.json.data.token };
}
