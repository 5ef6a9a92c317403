/**
 * Outbound SMTP client sessions (package {@code delivery} in docs/architecture.md). Independent of the
 * scheduler: it gets a resolved MX address and a message, and returns typed results.
 *
 * <pre>
 *   OutboundConnector connector = new OutboundConnector(group, channelClass, deliverySettings, null);
 *   connector.connect(mxAddress, "mx1.example.com", tlsFailedRecently)       // greeting, EHLO, STARTTLS, EHLO
 *       .thenCompose(c -> c.send(OutboundMessage.of(sender, rcpts, body, utf8, eightBit)))
 *       .thenAccept(r -> { for (int i = 0; i < r.recipients().size(); i++) record(r.status(i), r.reply(i)); });
 * </pre>
 *
 * <p>Contracts: RFC 5321 client timeouts per stage (4.5.3.2); PIPELINING when offered (RFC 2920); dot-stuffing on
 * the way out ({@code DotStuffingEncoder}); opportunistic STARTTLS that never fails on a certificate
 * ({@code OpportunisticTls}) and reports a failed handshake as {@code TLS_FAILED} so the caller retries in clear
 * text; a timeout after the final dot is {@code UNKNOWN_AFTER_DOT}, never a silent success or a plain deferral; a
 * broken connection is never reused. All I/O runs on Netty event loops and every future completes on the
 * connection's event loop: continuations must not block or read message bodies from disk there.
 *
 * <p>Dependencies: util, config, Netty (the dependency rule: Netty stays in smtp.*, egress, delivery, admin).
 */
package io.sluice.delivery;
