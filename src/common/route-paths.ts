import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants';
import { type ApplicationConfig, MetadataScanner, type ModulesContainer } from '@nestjs/core';
// Not in @nestjs/core's index; @nestjs/swagger imports it from here for the same purpose.
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory';

/** A route as the HTTP framework serves it: upper-case method, full path (global prefix, module path, version). */
export interface ServedRoute {
  readonly method: string;
  readonly path: string;
}

/**
 * The routes of `controllers` as Nest registered them: the host's global prefix (and its `exclude`),
 * `RouterModule` paths and URI versioning applied, by Nest's own path factory. Read at init, once the
 * host's `main.ts` has set its prefix.
 */
export function servedRoutes(controllers: readonly Type[], config: ApplicationConfig, modules: ModulesContainer): ServedRoute[] {
  const factory = new RoutePathFactory(config);
  const scanner = new MetadataScanner();
  const prefix = config.getGlobalPrefix();
  const globalPrefix = prefix && !prefix.startsWith('/') ? `/${prefix}` : prefix;
  const versioningOptions = config.getVersioning();
  const routes: ServedRoute[] = [];
  for (const controller of controllers) {
    const modulePath = modulePathOf(controller, modules);
    const controllerVersion = versioningOptions
      ? ((Reflect.getMetadata(VERSION_METADATA, controller) as unknown) ?? versioningOptions.defaultVersion)
      : undefined;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const methodPaths = handler && (Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined);
      if (methodPaths === undefined) continue;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler as object) as RequestMethod;
      const methodVersion = Reflect.getMetadata(VERSION_METADATA, handler as object) as unknown;
      for (const ctrlPath of pathsOf(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const methodPath of pathsOf(methodPaths)) {
          const metadata = { ctrlPath, methodPath, modulePath, globalPrefix, versioningOptions, controllerVersion, methodVersion };
          for (const path of factory.create(metadata as Parameters<RoutePathFactory['create']>[0], requestMethod)) {
            routes.push({ method: RequestMethod[requestMethod], path });
          }
        }
      }
    }
  }
  return routes;
}

function pathsOf(value: unknown): string[] {
  const paths = Array.isArray(value) ? (value as string[]) : [typeof value === 'string' ? value : '/'];
  return paths.map((path) => (path.startsWith('/') ? path : `/${path}`));
}

/** The `RouterModule` path of the module declaring `controller`, read as Nest's routes resolver reads it. */
function modulePathOf(controller: Type, modules: ModulesContainer): string | undefined {
  for (const module of modules.values()) {
    if (!module.controllers.has(controller)) continue;
    return (Reflect.getMetadata(MODULE_PATH + modules.applicationId, module.metatype) ??
      Reflect.getMetadata(MODULE_PATH, module.metatype)) as string | undefined;
  }
  return undefined;
}

/**
 * A request URL's path for {@link servesPath}: no query, percent-escapes decoded, lower case, no trailing
 * slash. Broader than the frameworks' own matching (Express is case-insensitive and ignores a trailing slash
 * by default, Fastify decodes escapes): a spelling that reaches our controller must match, and one that
 * reaches nothing only gets our answer instead of a 404.
 */
export function normalizedRequestPath(url: string): string {
  const query = url.indexOf('?');
  let path = query < 0 ? url : url.slice(0, query);
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      // Malformed escapes: the framework answers them 400 itself; match what is there.
    }
  }
  path = path.toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A route's path as {@link servesPath} compares it: lower case, split once (it runs on every request). */
interface CompiledPath {
  /** The whole lower-case path when no segment is a `:param` or `*`: the request path must equal it. */
  literal?: string;
  segments: readonly string[];
}

const compiledPaths = new WeakMap<ServedRoute, CompiledPath>();

function compiledPathOf(route: ServedRoute): CompiledPath {
  let compiled = compiledPaths.get(route);
  if (compiled === undefined) {
    const lower = route.path.toLowerCase();
    const segments = lower.split('/');
    const literal = segments.some((segment) => segment.startsWith(':') || segment.startsWith('*') || segment.startsWith('{*'))
      ? undefined
      : lower;
    compiled = { literal, segments };
    compiledPaths.set(route, compiled);
  }
  return compiled;
}

/** Whether `route` serves a {@link normalizedRequestPath}: `:param` matches one segment, `*` the rest. */
export function servesPath(route: ServedRoute, path: string): boolean {
  const { literal, segments: expected } = compiledPathOf(route);
  if (literal !== undefined) return path === literal;
  const actual = path.split('/');
  for (let i = 0; i < expected.length; i += 1) {
    const segment = expected[i] as string;
    if (segment.startsWith('*') || segment.startsWith('{*')) return true;
    if (i >= actual.length) return false;
    if (segment.startsWith(':') ? actual[i] === '' : segment !== actual[i]) return false;
  }
  return expected.length === actual.length;
}
