/**
 * SMTP AUTH (RFC 4954) for the ingress: password hashes, the users file, the SASL PLAIN and LOGIN exchanges, and
 * the verifier that checks credentials off the event loop.
 *
 * <p>Pure Java, no Netty: the session handler in {@code smtp.server} drives these classes and writes the replies
 * they return. Flow for one {@code AUTH} command:
 * <pre>
 *   SaslExchange ex = SaslExchange.begin(arguments);        // "PLAIN dGVzdA..." or "LOGIN"
 *   SaslStep step = ex.start();
 *   while (step instanceof SaslStep.Challenge c) { write(c.line()); step = ex.respond(readLine()); }
 *   if (step instanceof SaslStep.Failed f) write(f.reply().line());
 *   if (step instanceof SaslStep.Done d) verifier.verify(d.credentials(), clientIp)
 *                                             .thenAccept(r -> eventLoop.execute(() -> write(r.reply().line())));
 * </pre>
 * Trust: everything a client sends is hostile (lengths capped, strict base64 and UTF-8); the users file is
 * operator input and is validated line by line.
 */
package io.sluice.smtp.server.auth;
