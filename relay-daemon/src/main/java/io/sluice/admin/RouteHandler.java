package io.sluice.admin;

/**
 * The code behind one admin route.
 *
 * <p>Contract: turns a request into a response. It runs on the thread its {@link Route.Execution} names; an
 * exception becomes a 500 (logged), never a dropped connection.
 */
@FunctionalInterface
public interface RouteHandler {
    AdminResponse handle(AdminRequest request) throws Exception;
}
