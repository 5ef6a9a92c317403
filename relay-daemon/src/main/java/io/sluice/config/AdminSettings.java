package io.sluice.config;

import java.nio.file.Path;

/**
 * The admin HTTP endpoint ({@code admin} in sluice.yaml): /healthz, /readyz, /metrics and the admin API.
 *
 * @param enabled   serve it ({@code enabled}, default true)
 * @param address   loopback address to bind ({@code address}, default 127.0.0.1; must be a loopback address)
 * @param port      TCP port ({@code port}, default 8025)
 * @param tokenFile bearer token for the admin API ({@code token_file}, default none: the API answers 403);
 *                  /healthz, /readyz and /metrics need no token
 */
public record AdminSettings(boolean enabled, String address, int port, Path tokenFile) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;
}
