package io.sluice.delivery;

/** The step of the client dialogue a reply, timeout or failure belongs to (RFC 5321 4.5.3.2 names the timeouts). */
public enum Stage {
    /** TCP connect ({@code connect_timeout}). */
    CONNECT,
    /** Waiting for the 220 ({@code greeting_timeout}). */
    GREETING,
    /** EHLO, also the one after STARTTLS ({@code command_timeout}). */
    EHLO,
    /** HELO fallback ({@code command_timeout}). */
    HELO,
    /** The STARTTLS command's reply ({@code command_timeout}). */
    STARTTLS,
    /** The TLS handshake ({@code command_timeout}). */
    TLS_HANDSHAKE,
    /** AUTH towards a smarthost, each step ({@code command_timeout}). */
    AUTH,
    /** MAIL FROM ({@code command_timeout}). */
    MAIL,
    /** RCPT TO ({@code command_timeout}). */
    RCPT,
    /** The DATA command's 354 ({@code data_initiation_timeout}). */
    DATA,
    /** Writing the message text: no write progress for {@code data_block_timeout}. */
    TEXT,
    /** The reply to the final dot ({@code data_termination_timeout}). */
    DOT,
    /** RSET ({@code command_timeout}). */
    RSET,
    /** QUIT ({@code command_timeout}). */
    QUIT,
    /** Connected, no command outstanding. */
    IDLE
}
