import type { Logger, MessageSender, OutgoingMessage, Store } from '../../ports.js';

/** The dev default: keep every message in the outbox table and print it so a developer can finish a flow locally. */
export function outboxSender(store: Store, logger: Logger, now: () => number): MessageSender {
  return {
    async send(message: OutgoingMessage) {
      await store.messages.insert({
        poolId: message.poolId,
        channel: message.channel,
        destination: message.to,
        username: message.username,
        triggerSource: message.triggerSource,
        subject: message.subject,
        body: message.body,
        createdAt: now(),
      });
      logger.info(`[outbox] ${message.channel} to ${message.to} (${message.triggerSource}): ${message.body}`);
    },
  };
}

/** POSTs each message as JSON to `url` (COGNATE_MESSAGE_WEBHOOK_URL); any non-2xx is a delivery failure. */
export function webhookSender(url: string, fetchImpl: typeof fetch): MessageSender {
  return {
    async send(message: OutgoingMessage) {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          poolId: message.poolId,
          channel: message.channel,
          to: message.to,
          username: message.username,
          triggerSource: message.triggerSource,
          code: message.code,
          subject: message.subject,
          body: message.body,
        }),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`Message webhook answered ${response.status}`);
    },
  };
}
