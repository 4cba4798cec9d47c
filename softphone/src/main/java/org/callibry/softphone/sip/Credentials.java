package org.callibry.softphone.sip;

import java.text.ParseException;
import java.util.ListIterator;
import java.util.function.LongUnaryOperator;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The account's answer to a digest challenge (RFC 3261 §22.2 from a registrar or UAS, §22.3 from a
 * proxy): the challenged request again, with credentials, a new CSeq and a new branch.
 */
final class Credentials {
    private final SipEndpoint endpoint;

    Credentials(SipEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** {@link #answer(Request, Response, LongUnaryOperator)} with the next CSeq one above the original's. */
    Request answer(Request original, Response challenge) throws ParseException, javax.sip.InvalidArgumentException, SipException {
        return answer(original, challenge, cseq -> cseq + 1);
    }

    /**
     * {@code original} again with credentials for the challenge in {@code challenge}, the CSeq
     * {@code nextCseq} gives for the original's, and a new branch; null when the same credentials were
     * refused already (the challenge is not stale) or no challenge can be answered.
     */
    Request answer(Request original, Response challenge, LongUnaryOperator nextCseq)
            throws ParseException, javax.sip.InvalidArgumentException, SipException {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String challengeName = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
        String answerName = proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME;
        WWWAuthenticateHeader chosen = null;
        ListIterator<?> it = challenge.getHeaders(challengeName);
        while (it.hasNext()) {
            WWWAuthenticateHeader h = (WWWAuthenticateHeader) it.next();
            if ("Digest".equalsIgnoreCase(h.getScheme()) && DigestAnswer.supports(h.getAlgorithm())) {
                chosen = h;
                break;
            }
        }
        if (chosen == null) {
            return null;
        }
        if (original.getHeader(answerName) instanceof AuthorizationHeader previous
                && chosen.getRealm().equals(previous.getRealm()) && !chosen.isStale()) {
            return null;
        }
        Request r = (Request) original.clone();
        r.removeHeader(answerName);
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(nextCseq.applyAsLong(cseq.getSeqNumber()));
        r.removeHeader(ViaHeader.NAME);
        r.addHeader(endpoint.via());
        SoftphoneAccount account = endpoint.account();
        String uri = r.getRequestURI().toString();
        String qop = DigestAnswer.chooseQop(chosen.getQop());
        String cnonce = DigestAnswer.newCnonce();
        String nc = "00000001";
        AuthorizationHeader a = proxy ? endpoint.headers().createProxyAuthorizationHeader("Digest")
                : endpoint.headers().createAuthorizationHeader("Digest");
        a.setUsername(account.user());
        a.setRealm(chosen.getRealm());
        a.setNonce(chosen.getNonce());
        a.setURI(r.getRequestURI());
        if (chosen.getAlgorithm() != null) {
            a.setAlgorithm(chosen.getAlgorithm());
        }
        if (chosen.getOpaque() != null) {
            a.setOpaque(chosen.getOpaque());
        }
        if (qop != null) {
            a.setQop(qop);
            a.setCNonce(cnonce);
            a.setNonceCount(1);
        }
        a.setResponse(DigestAnswer.response(chosen.getAlgorithm(), account.user(), chosen.getRealm(), account.password(),
                r.getMethod(), uri, chosen.getNonce(), qop, nc, cnonce));
        r.addHeader(a);
        return r;
    }
}
