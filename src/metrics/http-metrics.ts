// HTTP requests by route label and status (onramp_http_requests_total), counted when each
// response closes. Per request: one shared listener, a route classification and a map lookup.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, type Registry } from 'prom-client';
import { classifyRoute, HTTP_ROUTE_LABELS, type HttpRouteLabel } from './http-route-label.js';

/** The status counted when the client went away before the response was complete (as nginx does). */
export const CLIENT_CLOSED_STATUS = 499;

type Child = Counter.Internal;

export class HttpMetrics {
  private readonly counter: Counter<'route' | 'status'>;
  /** Children per route and status, so counting does not hash label objects. */
  private readonly children = new Map<HttpRouteLabel, Map<number, Child>>();
  private readonly onClose: (this: Response) => void;

  constructor(registry: Registry, prefix: string) {
    this.counter = new Counter({
      name: `${prefix}http_requests_total`,
      help: `HTTP requests by route (${HTTP_ROUTE_LABELS.join(', ')}) and status; ${CLIENT_CLOSED_STATUS} when the client left first`,
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    });
    for (const route of HTTP_ROUTE_LABELS) this.children.set(route, new Map());
    const metrics = this;
    this.onClose = function onClose(this: Response): void {
      const status = this.writableFinished ? this.statusCode : CLIENT_CLOSED_STATUS;
      metrics.count(classifyRoute(this.req.originalUrl), status);
    };
  }

  /** Counts every request once its response closes (finished or aborted). Mount it first. */
  middleware(): RequestHandler {
    return (_req: Request, res: Response, next: NextFunction) => {
      res.once('close', this.onClose);
      next();
    };
  }

  count(route: HttpRouteLabel, status: number): void {
    const byStatus = this.children.get(route) as Map<number, Child>;
    let child = byStatus.get(status);
    if (child === undefined) {
      // Status codes are integers in 100..599 (Node refuses others), so this map stays small.
      child = this.counter.labels(route, String(status));
      byStatus.set(status, child);
    }
    child.inc();
  }
}
