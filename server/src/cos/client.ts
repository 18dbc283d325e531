import COS from 'cos-nodejs-sdk-v5';
import type { CosCredentials, CosVideoConfig } from '../config/read';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { CosError } from './errors';

/** An SDK instance bound to one set of credentials, and until when it may be used. */
export interface CosClient {
  sdk: COS;
  credentials: CosCredentials;
  /** Epoch ms after which the credentials must not be used (Infinity for static keys). */
  expiresAt: number;
  /** Epoch ms after which a new set is fetched before use. */
  refreshAt: number;
}

// Refresh temporary credentials this long before they expire, so no request starts with a dying token.
const REFRESH_MARGIN_MS = 5 * 60_000;
// A provider that reports no expiry is asked again after this long.
const DEFAULT_PROVIDER_TTL_MS = 10 * 60_000;

/** SDK options shared by every instance: domain/protocol (custom domain, CDN, emulator), timeout. */
export function sdkOptions(config: CosVideoConfig, creds: CosCredentials): ConstructorParameters<typeof COS>[0] {
  return {
    SecretId: creds.secretId,
    SecretKey: creds.secretKey,
    SecurityToken: creds.securityToken ?? '',
    Protocol: config.protocol,
    ...(config.domain ? { Domain: config.domain } : {}),
    Timeout: config.requestTimeoutMs,
    // The SDK would otherwise retry failed requests against *.tencentcos.cn backup hosts, which
    // a custom domain, CDN or the local emulator does not serve.
    AutoSwitchHost: false,
    FollowRedirect: false,
    UserAgent: 'strapi-plugin-cos-video',
  };
}

function parseExpiry(v: CosCredentials['expiresAt']): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v < 1e12 ? v * 1000 : v; // epoch seconds or ms
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function credentialsError(detail: string): CosError {
  return new CosError({
    code: COS_ERROR_CODES.credentialsUnavailable,
    transient: true,
    detail: `COS credentials provider failed: ${detail}`,
    userMessage:
      'The server could not obtain COS credentials from the configured credentials provider. Check the provider (e.g. the STS service) and try again.',
  });
}

/**
 * Hands out SDK instances: one for static keys, or a fresh one each time the credentials
 * provider returns new temporary credentials (an SDK instance never changes its keys, so
 * signing stays synchronous and a refresh cannot race a request in flight).
 */
export class CosClientPool {
  private current?: CosClient;
  private pending?: Promise<CosClient>;
  private urlOnly?: COS;

  constructor(private readonly config: CosVideoConfig) {
    if (!config.credentials) {
      const credentials: CosCredentials = {
        secretId: config.secretId,
        secretKey: config.secretKey,
        ...(config.securityToken ? { securityToken: config.securityToken } : {}),
      };
      this.current = { sdk: new COS(sdkOptions(config, credentials)), credentials, expiresAt: Infinity, refreshAt: Infinity };
    }
  }

  /** A client whose credentials are valid for a while (refreshing them if needed). */
  async get(): Promise<CosClient> {
    if (this.current && Date.now() < this.current.refreshAt) return this.current;
    if (!this.pending) {
      this.pending = this.refresh().finally(() => {
        this.pending = undefined;
      });
    }
    try {
      return await this.pending;
    } catch (e) {
      // Keep using still-valid credentials when a refresh fails inside the margin.
      if (this.current && Date.now() < this.current.expiresAt - 30_000) return this.current;
      throw e;
    }
  }

  /** For synchronous signing: the current client if its credentials are still valid. */
  peek(): CosClient {
    if (this.current && Date.now() < this.current.expiresAt - 30_000) return this.current;
    // Start a refresh so the next call succeeds.
    void this.get().catch(() => undefined);
    throw credentialsError('no valid temporary credentials yet (the provider is being asked now)');
  }

  /** An SDK for building unsigned URLs / hosts: needs no valid credentials. */
  peekSdk(): COS {
    if (this.current) return this.current.sdk;
    this.urlOnly ??= new COS(sdkOptions(this.config, { secretId: '', secretKey: '' }));
    return this.urlOnly;
  }

  private async refresh(): Promise<CosClient> {
    const provider = this.config.credentials;
    if (!provider) throw credentialsError('no provider configured');
    let creds: CosCredentials;
    try {
      creds = await provider();
    } catch (e) {
      throw credentialsError(e instanceof Error ? e.message : String(e));
    }
    if (!creds || typeof creds.secretId !== 'string' || !creds.secretId || typeof creds.secretKey !== 'string' || !creds.secretKey) {
      throw credentialsError('the provider returned no secretId / secretKey');
    }
    const expiresAt = parseExpiry(creds.expiresAt) ?? Date.now() + DEFAULT_PROVIDER_TTL_MS + REFRESH_MARGIN_MS;
    const credentials: CosCredentials = {
      secretId: creds.secretId,
      secretKey: creds.secretKey,
      ...(creds.securityToken ? { securityToken: creds.securityToken } : {}),
    };
    const now = Date.now();
    // Short-lived sets are refreshed after three quarters of their life, long ones 5 minutes early.
    const refreshAt = expiresAt - Math.min(REFRESH_MARGIN_MS, Math.max(0, expiresAt - now) / 4);
    this.current = { sdk: new COS(sdkOptions(this.config, credentials)), credentials, expiresAt, refreshAt };
    return this.current;
  }
}
