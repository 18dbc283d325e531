/** A JSON request to a running Strapi, as the admin panel sends it, for the integration tests. */

export interface Reply {
  status: number;
  /** The parsed body, or null when it is not JSON. */
  json: any;
  text: string;
}

/** `body` is sent as JSON when given; `token` as a Bearer token (admin JWT or API token) when given. */
export async function jsonRequest(url: string, method: string, body?: unknown, token?: string | null): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}
