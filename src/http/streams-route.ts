// GET /api/streams: one JSON entry per live stream.
import { Router } from 'express';
import type { StreamRegistry } from '../streams/stream-registry.js';

export function streamsRoute(registry: StreamRegistry): Router {
  const router = Router();
  router.get('/api/streams', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const streams = registry.live().map((s) => s.describe());
    res.json({ streams });
  });
  return router;
}
