package org.callibry.server.routing;

/**
 * The routing decision: a pure function of the query over an in-memory snapshot of the route table
 * (rebuilt when the table changes), so the signaling path never reads the database.
 */
public interface CallRouting {

    RoutingDecision decide(RouteQuery query);
}
