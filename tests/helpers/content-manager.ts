/** A small client for the Content Manager admin API (what the admin UI itself calls). */
export interface ApiResult<T = any> {
  status: number;
  body: { data: T; error?: { status: number; name: string; message: string; details?: any } } & Record<string, any>;
}

export class ContentManager {
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly uid: string,
  ) {}

  /** `body` is sent as JSON; a string is sent as it is (e.g. `1e999`, which parses to Infinity). */
  async call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const res = await fetch(`${this.url}/content-manager/collection-types/${this.uid}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as ApiResult['body'] };
  }

  private q = (locale?: string) => (locale ? `?locale=${encodeURIComponent(locale)}` : '');

  create(data: Record<string, unknown>, locale?: string) {
    return this.call('POST', this.q(locale), locale ? { ...data, locale } : data);
  }
  update(documentId: string, data: Record<string, unknown>, locale?: string) {
    return this.call('PUT', `/${documentId}${this.q(locale)}`, locale ? { ...data, locale } : data);
  }
  get(documentId: string, locale?: string) {
    return this.call('GET', `/${documentId}${this.q(locale)}`);
  }
  publish(documentId: string, locale?: string) {
    return this.call('POST', `/${documentId}/actions/publish${this.q(locale)}`, locale ? { locale } : {});
  }
  clone(sourceId: string, data: Record<string, unknown>) {
    return this.call('POST', `/clone/${sourceId}`, data);
  }
  async count(): Promise<number> {
    const r = await this.call('GET', '?page=1&pageSize=1');
    return r.body.pagination?.total ?? r.body.meta?.pagination?.total;
  }
}

/** Drops what a client must not send back (ids of the response wrapper) but keeps component ids. */
export function editable(doc: Record<string, any>): Record<string, any> {
  const { id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, localizations, locale, ...rest } = doc;
  return rest;
}
