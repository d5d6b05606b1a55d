// The test's own Worker in workerd, beside the example Worker: `POST /probe` runs the probe on
// the posted input; `POST /scheduled` runs the example Worker's scheduled handler through the
// service binding EXAMPLE (as a Cron Trigger would) and answers its outcome.
import { probe } from './probe.mjs';

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/probe') return Response.json(await probe(await request.json()));
    if (request.method === 'POST' && pathname === '/scheduled') {
      const { cron } = await request.json();
      return Response.json(await env.EXAMPLE.scheduled({ cron, scheduledTime: new Date() }));
    }
    return new Response('not found', { status: 404 });
  },
};
