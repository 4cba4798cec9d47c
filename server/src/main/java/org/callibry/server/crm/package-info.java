/**
 * CRM integration: webhooks on call events (per-tenant subscriptions; signed, retried with back-off, in
 * order per call, with a delivery log) and the rule for URLs configured by tenants ({@link
 * org.callibry.server.crm.UrlGuard}). See {@code docs/modules/crm.md}.
 */
package org.callibry.server.crm;
