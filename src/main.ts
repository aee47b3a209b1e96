#!/usr/bin/env node
// The onramp command: loads and validates the configuration, starts the server, stops on signals.
import './thread-pool.js'; // first: sizes libuv's thread pool before anything uses it
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './logging/logger.js';
import { startOnramp } from './onramp.js';

async function main(): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (loaded.kind !== 'config') {
    process.stdout.write(`${loaded.text}\n`);
    return 0;
  }
  const { config } = loaded;
  const logger = createLogger({ level: config.logLevel });
  // Every connection and output handles its own errors; anything that still escapes is a bug to
  // log loudly, not a reason to drop every other stream.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
  const server = await startOnramp({ config, logger });
  logger.info({ rtmp: server.rtmpPort, rtmps: server.rtmpsPort, http: server.httpPort, mediaDir: config.mediaDir }, 'onramp started');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    // Past the bound, exit anyway: a stuck storage or Redis must not keep the process alive.
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    // Queued jobs (finalizing recordings) may use most of the bound; the rest is for closing.
    server.close({ jobsDeadlineMs: started + config.shutdownTimeoutMs * 0.75 }).then(
      () => {
        logger.info({ ms: Date.now() - started }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`onramp failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
