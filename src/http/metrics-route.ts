// GET /metrics: every metric of this process in the Prometheus text format, computed now.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';

export const METRICS_PATH = '/metrics';

export function metricsRoute(metrics: MetricsRegistry): Router {
  const router = Router();
  router.get(METRICS_PATH, (_req: Request, res: Response, next: NextFunction) => {
    metrics.scrape().then(
      (text) => {
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Type', metrics.contentType);
        res.end(text);
      },
      (err: unknown) => next(err),
    );
  });
  return router;
}
