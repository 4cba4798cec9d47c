/**
 * The customer portal ({@code /portal/}) and the operator console's pages ({@code /console/}): Spring MVC
 * with Thymeleaf, htmx and Chart.js. Rendering only: the data comes from the other modules' APIs.
 */
package org.callibry.server.portal;
