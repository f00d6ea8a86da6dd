import type { Platform, ServerPlan, Snippet } from './plan';

export type SnippetRenderer = (plan: ServerPlan) => Snippet;

/**
 * Each platform's renderer as its own chunk, for the panel: the Diagnosis shows one server stack at
 * a time, so the other ten need not be loaded with it. The CLI and the report render synchronously
 * through render.ts, which imports all of them.
 */
const LOADERS: Readonly<Record<Platform, () => Promise<SnippetRenderer>>> = {
  express: () => import('./platforms/express').then((m) => m.express),
  fastify: () => import('./platforms/fastify').then((m) => m.fastify),
  nextjs: () => import('./platforms/nextjs').then((m) => m.nextjs),
  nginx: () => import('./platforms/nginx').then((m) => m.nginx),
  caddy: () => import('./platforms/caddy').then((m) => m.caddy),
  apache: () => import('./platforms/apache').then((m) => m.apache),
  go: () => import('./platforms/go').then((m) => m.go),
  fastapi: () => import('./platforms/fastapi').then((m) => m.fastapi),
  django: () => import('./platforms/django').then((m) => m.django),
  spring: () => import('./platforms/spring').then((m) => m.spring),
  aspnetcore: () => import('./platforms/aspnetcore').then((m) => m.aspnetcore),
};

const loaded = new Map<Platform, SnippetRenderer>();
const loading = new Map<Platform, Promise<SnippetRenderer>>();

/** The platform's renderer if its code is already here, so a re-render needs no round trip. */
export function loadedRenderer(platform: Platform): SnippetRenderer | null {
  return loaded.get(platform) ?? null;
}

export function loadRenderer(platform: Platform): Promise<SnippetRenderer> {
  let pending = loading.get(platform);
  if (!pending) {
    pending = LOADERS[platform]().then(
      (renderer) => {
        loaded.set(platform, renderer);
        return renderer;
      },
      (error: unknown) => {
        // Not cached: the next attempt loads again.
        loading.delete(platform);
        throw error;
      },
    );
    loading.set(platform, pending);
  }
  return pending;
}
