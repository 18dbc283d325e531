/** Public shapes of the app kit. */

export type DatabaseSpec =
  | {
      client: 'sqlite';
      filename: string;
      /**
       * SQLite's `PRAGMA synchronous` for every connection (default `OFF`). `OFF`: no fsync per
       * transaction; a killed Strapi process (SIGKILL) still loses nothing, since its writes are in
       * the operating system's cache; only an OS crash could. These apps are throwaway, and each
       * fsync on a loaded disk costs tens of ms inside Strapi's synchronous driver. Benchmarks and the
       * demo pass `FULL` (SQLite's and so Strapi's own default) to measure what a user's app pays.
       */
      synchronous?: 'OFF' | 'NORMAL' | 'FULL';
    }
  | {
      client: 'postgres';
      connection: { host: string; port: number; database: string; user: string; password?: string; schema?: string };
    };

/** A collection/single type under src/api/<singularName>; uid = api::<singularName>.<singularName>. */
export interface ContentTypeSpec {
  singularName: string;
  pluralName: string;
  displayName?: string;
  kind?: 'collectionType' | 'singleType';
  draftAndPublish?: boolean; // default true
  localized?: boolean; // i18n on the type (attributes opt in via pluginOptions)
  attributes: Record<string, unknown>;
}

/** A component under src/components/<category>/<name>.json; uid = <category>.<name>. */
export interface ComponentSpec {
  category: string;
  name: string;
  displayName?: string;
  attributes: Record<string, unknown>;
}

export type PluginSource = { from: 'path'; path: string } | { from: 'tarball'; tarball: string };

export interface AppSpec {
  /** Absolute app directory; keep it under <repo>/.tmp or dev/ so @strapi/* resolve from the repo's node_modules. */
  dir: string;
  database: DatabaseSpec;
  /** The cos-video plugin config (config/plugins → 'cos-video'.config). */
  pluginConfig: Record<string, unknown>;
  plugin: PluginSource;
  contentTypes?: ContentTypeSpec[];
  components?: ComponentSpec[];
  /** true = i18n with the default 'en' locale only; { locales } = also create these locale codes in bootstrap. */
  i18n?: boolean | { locales: string[] };
  usersPermissions?: boolean;
  graphql?: boolean;
  /** Content-type uids whose find/findOne the public role may call (implies usersPermissions). */
  publicRead?: string[];
  /** Extra origins for img-src/media-src/connect-src; the COS origin from pluginConfig is always added. */
  cspOrigins?: string[];
  /** Admin panel URL settings baked into config/admin.js (default: served by the app itself). */
  adminUrl?: string;
}

export interface SpawnedStrapi {
  url: string;
  child: import('node:child_process').ChildProcess;
  /** Sends the signal (default SIGTERM) and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Everything the child printed so far (stdout + stderr), for failure messages. */
  output(): string;
}
