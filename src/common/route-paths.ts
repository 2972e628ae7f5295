import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants';
import { type ApplicationConfig, MetadataScanner, type ModulesContainer } from '@nestjs/core';
// Not in @nestjs/core's index; @nestjs/swagger imports it from here for the same purpose.
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory';

/** A route as the HTTP framework serves it: upper-case method, full path (global prefix, module path, version). */
export interface ServedRoute {
  method: string;
  path: string;
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
