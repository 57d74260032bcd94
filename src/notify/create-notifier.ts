// serve's notifier: after each run it turns the run's organizations into notifications (src/core/notify), drops
// those already sent (recorded in the journal, so also across restarts), and delivers the rest in the background,
// one at a time per sink, with bounded retries and a bounded queue per sink. It never blocks or fails a run: observe() only queues.
import type { Logger } from "pino";
import type { NotificationEntry } from "../core/model/journal-entry.js";
import type { PolicyFile } from "../core/model/types.js";
import type { StatusSource } from "../core/model/status-report.js";
import type { NotificationEvent } from "../core/notify/notification-event.js";
import { nextReminderAt, notificationsOf } from "../core/notify/notifications-of.js";
import { slackPayload, webhookPayload } from "../core/notify/format-notification.js";
import { errorMessage } from "../core/model/error-message.js";
import { parseDuration } from "../core/time/duration.js";
import { toInstant } from "../core/time/instant.js";
import type { Journal } from "../reconcile/journal.js";
import { sendNotification } from "./send-notification.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface NotifierDeps {
  env: Env;
  fetch: typeof fetch;
  journal: Journal;
  clock: () => Date;
  logger: Logger;
  /** Notify lines already in the journal (read at startup). */
  sent: readonly NotificationEntry[];
  /** Counts deliveries by outcome (metrics). */
  onDelivery?: (sink: string, outcome: "sent" | "failed" | "dropped") => void;
}

export interface NotifierOptions {
  /** Most deliveries waiting at once per sink; more are dropped with a warning (default 1000). */
  queueLimit?: number;
  /** Retries per delivery after the first attempt (default 5). */
  retries?: number;
  minBackoffMs?: number;
  timeoutMs?: number;
}

export interface Notifier {
  /** Queues the notifications of a finished run; returns at once, never throws. */
  observe(organizations: readonly StatusSource[], policy: PolicyFile | null): void;
  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Stops the reminder timer and waits at most `graceMs` for the deliveries queued and in flight; then stops them
   * (no retry is left pending: a stopping serve exits at once). The delivery stopped in flight is journaled as
   * failed; it and the ones still queued are sent by the next process (only sends count as done).
   */
  close(graceMs?: number): Promise<void>;
}

interface Delivery {
  event: NotificationEvent;
  sink: { id: string; type: "slack" | "webhook"; urlEnv: string };
}

const DEFAULT_REMIND_BEFORE_MS = 15 * 60 * 1000;

export function createNotifier(deps: NotifierDeps, options: NotifierOptions = {}): Notifier {
  const logger = deps.logger.child({ component: "notifier" });
  const limit = options.queueLimit ?? 1000;
  const done = new Set(deps.sent.filter((e) => e.outcome === "sent").map((e) => `${e.sink}|${e.key}`));
  const queued = new Set<string>();
  // One queue and one worker per sink: a slow receiver only delays its own messages.
  const queues = new Map<string, Delivery[]>();
  const working = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let last: { organizations: readonly StatusSource[]; policy: PolicyFile } | null = null;
  let closed = false;
  const stopping = new AbortController();

  const enqueue = (event: NotificationEvent, sink: Delivery["sink"]): void => {
    const id = `${sink.id}|${event.key}`;
    if (done.has(id) || queued.has(id)) return;
    const queue = queues.get(sink.id) ?? [];
    queues.set(sink.id, queue);
    if (queue.length >= limit) {
      logger.warn({ sink: sink.id, event: event.kind, key: event.key }, "notification queue full: dropped");
      deps.onDelivery?.(sink.id, "dropped");
      return;
    }
    queued.add(id);
    queue.push({ event, sink });
  };

  const deliverOne = async ({ event, sink }: Delivery): Promise<void> => {
    const url = deps.env[sink.urlEnv];
    const now = deps.clock();
    let outcome: NotificationEntry["outcome"] = "sent";
    let error: NotificationEntry["error"];
    if (url === undefined || !/^https?:\/\//.test(url)) {
      outcome = "failed";
      error = { code: "NOTIFY_NO_URL", message: `${sink.urlEnv} is not set to an http(s) URL` };
    } else {
      const body = sink.type === "slack" ? slackPayload(event, now) : webhookPayload(event, now);
      try {
        await sendNotification(url, body, {
          fetch: deps.fetch,
          retries: options.retries ?? 5,
          minBackoffMs: options.minBackoffMs ?? 1000,
          timeoutMs: options.timeoutMs ?? 10_000,
          signal: stopping.signal,
          onRetry: (attempt, e) =>
            logger.info({ sink: sink.id, attempt, err: errorMessage(e) }, "notification retry"),
        });
      } catch (e) {
        outcome = "failed";
        error = { code: (e as { code?: string }).code ?? "NOTIFY_FAILED", message: errorMessage(e) };
      }
    }
    const id = `${sink.id}|${event.key}`;
    queued.delete(id);
    // A failed delivery is given up for this process (no retry storm); the journal keeps only sends as done.
    done.add(id);
    deps.onDelivery?.(sink.id, outcome);
    if (outcome === "failed")
      logger.warn({ sink: sink.id, event: event.kind, key: event.key, error }, "notification failed");
    await deps.journal
      .record({
        time: toInstant(deps.clock()),
        action: "notify",
        organization: event.organization,
        grantId: event.grantId,
        event: event.kind,
        key: event.key,
        sink: sink.id,
        outcome,
        ...(error === undefined ? {} : { error }),
      })
      .catch((e: unknown) => logger.error({ err: errorMessage(e) }, "could not journal a notification"));
  };

  const pump = (sinkId: string): void => {
    const queue = queues.get(sinkId) ?? [];
    if (working.has(sinkId) || queue.length === 0) return;
    const worker = (async () => {
      for (let next = queue.shift(); next !== undefined && !stopping.signal.aborted; next = queue.shift()) {
        await deliverOne(next).catch((e: unknown) =>
          logger.error({ err: errorMessage(e) }, "notification error"),
        );
      }
    })().finally(() => {
      working.delete(sinkId);
      pump(sinkId);
    });
    working.set(sinkId, worker);
  };

  const collect = (): void => {
    if (last === null) return;
    const { organizations, policy } = last;
    const notify = policy.notify;
    if (notify === undefined) return;
    const remindBeforeMs = parseDuration(notify.remindBefore ?? "") ?? DEFAULT_REMIND_BEFORE_MS;
    const events = notificationsOf(organizations, deps.clock(), {
      remindBeforeMs,
      breakGlassNotify: policy.breakGlass?.notify ?? [],
    });
    for (const event of events) {
      for (const sink of notify.sinks) enqueue(event, { ...sink, id: `${sink.type}:${sink.urlEnv}` });
    }
    for (const sinkId of queues.keys()) pump(sinkId);
    schedule(organizations, remindBeforeMs);
  };

  const schedule = (organizations: readonly StatusSource[], remindBeforeMs: number): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const at = nextReminderAt(organizations, deps.clock(), remindBeforeMs);
    if (at === null || closed) return;
    timer = setTimeout(
      () => safely(collect),
      Math.min(Math.max(at - deps.clock().getTime(), 0) + 10, 2 ** 31 - 1),
    );
    timer.unref();
  };

  const safely = (work: () => void): void => {
    try {
      work();
    } catch (error) {
      logger.error({ err: errorMessage(error) }, "notifications could not be computed");
    }
  };

  return {
    observe(organizations, policy) {
      if (closed) return;
      safely(() => {
        last = policy === null ? last : { organizations, policy };
        collect();
      });
    },
    async idle() {
      while (working.size > 0) await Promise.all(working.values());
    },
    async close(graceMs = 5000) {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([this.idle(), grace]);
      stopping.abort(new Error("the notifier is stopping"));
      await this.idle();
    },
  };
}
