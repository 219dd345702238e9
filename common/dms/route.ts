// How one route of the central DMS API is declared: method, path, who may call it, and
// zod schemas for its parameters, query, body and answer. The server registers its
// handlers from these declarations, the OpenAPI document is generated from them, and the
// workstation's DMS client (main/infra/dms) calls through them: one declaration, no
// path or field written twice.

import type { z } from 'zod';

/**
 * Who may call a route:
 * - `public`: anyone (health, login, activation; rate limited where it matters);
 * - `user`: an access token of an active user (any role) on a registered device;
 * - `admin`: the same, with the admin role of that instansi.
 */
export type RouteAccess = 'public' | 'user' | 'admin';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify-style path: `/v1/documents/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success body; `null` for routes that answer with bytes or no body. */
  response: z.ZodType | null;
  /** Success status (200 unless said). */
  status?: number;
}

/** Declares a route table while keeping each entry's literal types. */
export function routes<const T extends Record<string, RouteDef>>(table: T): T {
  return table;
}

export type Body<R extends RouteDef> = R['body'] extends z.ZodType ? z.infer<R['body']> : undefined;
export type Query<R extends RouteDef> = R['query'] extends z.ZodType ? z.infer<R['query']> : undefined;
export type Params<R extends RouteDef> = R['params'] extends z.ZodType ? z.infer<R['params']> : undefined;
export type Reply<R extends RouteDef> = R['response'] extends z.ZodType ? z.input<R['response']> : undefined;
