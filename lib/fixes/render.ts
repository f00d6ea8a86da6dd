import { PLATFORMS, type Fix, type Platform, type ServerPlan, type Snippet } from './plan';
import { apache } from './platforms/apache';
import { aspnetcore } from './platforms/aspnetcore';
import { caddy } from './platforms/caddy';
import { django } from './platforms/django';
import { express } from './platforms/express';
import { fastapi } from './platforms/fastapi';
import { fastify } from './platforms/fastify';
import { go } from './platforms/go';
import { nextjs } from './platforms/nextjs';
import { nginx } from './platforms/nginx';
import { spring } from './platforms/spring';

const RENDERERS: Readonly<Record<Platform, (plan: ServerPlan) => Snippet>> = {
  express, fastify, nextjs, nginx, caddy, apache, go, fastapi, django, spring, aspnetcore,
};

/** One complete endpoint (or proxy location) for the plan per platform, in the order asked. */
export function renderSnippets(plan: ServerPlan, platforms: readonly Platform[] = PLATFORMS): Snippet[] {
  return platforms.map((platform) => RENDERERS[platform](plan));
}

export function renderFix(advice: { readonly summary: string; readonly plan: ServerPlan }, platforms?: readonly Platform[]): Fix {
  return { summary: advice.summary, snippets: renderSnippets(advice.plan, platforms) };
}
