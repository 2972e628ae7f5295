import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { type ServerSettings, serverConfig } from '../config/server.config';
import { pinoHttpOptions } from './pino-options';

/** Paths of probes and scrapes: their successful requests are not logged. */
export const QUIET_LOG_PATHS = ['/health/', '/metrics'];

/**
 * The standalone server's structured logging (nestjs-pino): JSON lines on stdout, a request id per request,
 * credentials redacted. Only the standalone composition imports it; embedding apps keep their own logger.
 */
export const StandaloneLoggerModule = LoggerModule.forRootAsync({
  imports: [ConfigModule.forFeature(serverConfig)],
  inject: [serverConfig.KEY],
  useFactory: (server: ServerSettings) => ({ pinoHttp: pinoHttpOptions({ level: server.logLevel, quietPaths: QUIET_LOG_PATHS }) }),
});
