/**
 * IVR scenarios as data and their interpreter on the media server: a scenario is a JSON document of
 * nodes (play, menu, collect, http, condition, set, say, record, queue, transfer, time, language,
 * hangup), versioned on every save and checked before it is stored; each call to a scenario's number
 * or to a route of destination type IVR runs its latest version on a virtual thread of its own, and
 * leaves a trace (node path, played audio and said texts, variables, HTTP timings, end). The same
 * interpreter walks a scenario without a call for {@code ivr.simulate}. See {@code docs/modules/ivr.md}.
 */
package org.callibry.server.ivr;
