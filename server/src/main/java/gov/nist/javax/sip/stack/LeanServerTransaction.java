package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.SIPConstants;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * The RI's server transaction, made safe to release its parsed messages once it has answered
 * ({@code gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY}, {@code Aggressive} in the server's stack): the RI then still
 * compares a request from an RFC 2543 peer (a Via branch without the magic cookie) with every transaction in its
 * table field by field, and throws on the first one that let go of its request, so that request was lost.
 * <ul>
 *   <li>A transaction of an RFC 2543 request keeps its messages (strategy {@code None}): it can only be matched
 *       field by field.</li>
 *   <li>A released transaction (an RFC 3261 one, so) is never matched by an RFC 2543 request: their top Via
 *       headers differ in the branch, which the RI's weak check compares too.</li>
 * </ul>
 * It lives in the RI's package only because the constructor is not public.
 */
public final class LeanServerTransaction extends SIPServerTransactionImpl {

    public LeanServerTransaction(SIPTransactionStack stack, MessageChannel channel) {
        super(stack, channel);
    }

    @Override
    public void setOriginalRequest(SIPRequest request) {
        super.setOriginalRequest(request);
        if (!rfc3261(request)) {
            setReleaseReferencesStrategy(ReleaseReferencesStrategy.None);
        }
    }

    @Override
    public boolean isMessagePartOfTransaction(SIPMessage message) {
        if (originalRequest == null && !rfc3261(message)) {
            return false; // released, so of an RFC 3261 request: never this RFC 2543 one's
        }
        return super.isMessagePartOfTransaction(message);
    }

    private static boolean rfc3261(SIPMessage message) {
        Via via = message.getTopmostVia();
        return rfc3261(via == null ? null : via.getBranch());
    }

    /** True for an RFC 3261 branch: it starts with the magic cookie {@code z9hG4bK}, in any case (§8.1.1.7). */
    public static boolean rfc3261(String branch) {
        return branch != null && branch.regionMatches(true, 0, SIPConstants.BRANCH_MAGIC_COOKIE, 0, 7);
    }
}
