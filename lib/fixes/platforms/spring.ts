import type { ServerPlan, Snippet } from '../plan';
import { comments, lines, quote, safePlan } from './common';

export function spring(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  const list = (values: readonly string[]): string => values.map(quote).join(', ');
  return {
    platform: 'spring',
    language: 'java',
    code: lines(
      '// Spring MVC (Boot 3): imports from org.springframework.web.*, jakarta.servlet.http, java.util.concurrent.',
      comments('//', p.warnings),
      '@RestController',
      cors ? 'public class EventsController implements WebMvcConfigurer {' : 'public class EventsController {',
      '    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();',
      '',
      cors && [
        '    // Spring compares Origin with this list exactly, echoes only a listed one, and adds Vary: Origin;',
        '    // it answers the preflight itself and puts the headers on error answers too.',
        '    @Override',
        '    public void addCorsMappings(CorsRegistry registry) {',
        `        registry.addMapping(${quote(p.path)})`,
        `            .allowedOrigins(${list(p.origins)})`,
        `            .allowedMethods(${list(p.preflight?.methods ?? ['GET'])})`,
        `            .allowedHeaders(${list(p.preflight?.headers ?? [])})`,
        `            .allowCredentials(${p.credentials});`,
        '    }',
        '',
      ],
      `    @GetMapping(${quote(p.path)})`,
      '    public SseEmitter events(HttpServletResponse response) throws IOException {',
      '        response.setContentType("text/event-stream; charset=utf-8");',
      '        response.setHeader("Cache-Control", "no-cache, no-transform");',
      '        response.setHeader("X-Accel-Buffering", "no");',
      '        SseEmitter emitter = new SseEmitter(0L); // no timeout: the heartbeat keeps the stream alive',
      p.retryMs !== null && `        emitter.send(SseEmitter.event().reconnectTime(${p.retryMs}L));`,
      '        // Send each event with emitter.send(SseEmitter.event().data(payload)); every send is flushed.',
      '        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> {',
      '            try {',
      '                emitter.send(SseEmitter.event().comment("heartbeat"));',
      '            } catch (IOException | IllegalStateException e) {',
      '                emitter.completeWithError(e); // the client went away',
      '            }',
      `        }, 0, ${p.heartbeatSeconds}, TimeUnit.SECONDS);`,
      '        emitter.onCompletion(() -> heartbeat.cancel(false));',
      '        emitter.onError(e -> heartbeat.cancel(false));',
      '        return emitter;',
      '    }',
      '}',
    ),
  };
}
