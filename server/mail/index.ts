// Outgoing mail through nodemailer. By default each mail is written as an .eml file into
// the mail folder (a single node with no mail server still works: the operator reads or
// forwards the files); with SMTP_URL it goes to a real SMTP server.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type { ServerConfig } from '../config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Delivers one mail; rejects when the transport fails. */
  send(message: MailMessage): Promise<void>;
  /**
   * Delivers in the background, so an answer does not wait for (or reveal through its
   * timing) a mail server; a failure is logged without the mail's content.
   */
  sendLater(message: MailMessage): void;
  /** Waits for the mails still being delivered, then closes the transport. */
  close(): Promise<void>;
}

export function openMailer(config: ServerConfig['mail'], log: FastifyBaseLogger): Mailer {
  const pending = new Set<Promise<void>>();
  let send: (message: MailMessage) => Promise<void>;
  let closeTransport: () => void;
  if (config.kind === 'smtp') {
    const transport = nodemailer.createTransport(config.url);
    send = async (message) => {
      await transport.sendMail({ from: config.from, ...message });
    };
    closeTransport = () => transport.close();
  } else {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    send = async (message) => {
      const info = await transport.sendMail({ from: config.from, ...message });
      await mkdir(config.dir, { recursive: true });
      // Sortable by time; the uuid keeps two mails of one millisecond apart.
      await writeFile(join(config.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`), info.message as Buffer, { mode: 0o600 });
    };
    closeTransport = () => transport.close();
  }
  return {
    send,
    sendLater(message) {
      const delivery = send(message).catch((err: Error) => log.error({ err: { message: err.message }, mail: config.kind }, 'mail delivery failed'));
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
    },
    async close() {
      await Promise.all(pending);
      closeTransport();
    },
  };
}
