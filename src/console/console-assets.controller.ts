import { applyDecorators, Controller, Get, NotFoundException, Param, Req, Res, type Type, UseFilters } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { type ConsoleAsset, CONSOLE_SECURITY_HEADERS, loadConsoleAssets } from './console-assets';
import { type ConsoleRequest, SAFE_PATH } from './console-http';
import type { ConsoleRouteOptions } from './console-route';

/** Where the page's `<base href>` goes: its relative URLs (assets, API) resolve under the console's own path. */
const BASE_PLACEHOLDER = '%CONSOLE_BASE%';

/**
 * The console page (`GET /<path>`) and its files (`GET /<path>/assets/<name>`), from memory. Public: the
 * page holds no data, it asks to sign in. The page's base URL is the path it was asked at, so it works
 * under whatever global prefix the host adds.
 */
export function createConsoleAssetsController(options: ConsoleRouteOptions): Type<unknown> {
  @Controller(options.path)
  @DocumentedAs('excluded')
  @UseFilters(LiveKitErrorResponseFilter)
  @applyDecorators(...options.decorators)
  class LiveKitConsoleAssetsController {
    private readonly assets = loadConsoleAssets();

    constructor(private readonly adapterHost: HttpAdapterHost) {}

    @Get()
    page(@Req() req: ConsoleRequest, @Res() res: unknown): void {
      const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
      const base = SAFE_PATH.test(path) ? (path.endsWith('/') ? path : `${path}/`) : `/${options.path}/`;
      const page = this.assets.get('index.html')!;
      this.send(res, { ...page, body: page.body.replace(BASE_PLACEHOLDER, base) });
    }

    @Get('assets/:name')
    asset(@Param('name') name: string, @Res() res: unknown): void {
      const asset = name === 'index.html' ? undefined : this.assets.get(name);
      if (!asset) throw new NotFoundException(`no console asset ${JSON.stringify(name.slice(0, 64))}`);
      this.send(res, asset);
    }

    private send(res: unknown, asset: ConsoleAsset): void {
      const http = this.adapterHost.httpAdapter;
      http.setHeader(res, 'Content-Type', asset.contentType);
      for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) http.setHeader(res, name, value);
      http.reply(res, asset.body, 200);
    }
  }
  return LiveKitConsoleAssetsController;
}
