package io.tally.engine.identity;

/**
 * Decides which address a request comes from: the peer, or, only when the peer is a trusted proxy, the
 * right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy (the left-most when all
 * are trusted). Anything a client wrote further left cannot be trusted, so it is never used.
 */
public final class ClientAddressResolver
{
    private final AddressRanges trustedProxies;
    private final IpAddress candidate = new IpAddress();

    public ClientAddressResolver(final AddressRanges trustedProxies)
    {
        this.trustedProxies = trustedProxies;
    }

    /**
     * @param peer          the TCP peer.
     * @param forwardedFor  the {@code X-Forwarded-For} header, or null.
     * @param client        where the answer goes.
     */
    public void resolve(final IpAddress peer, final CharSequence forwardedFor, final IpAddress client)
    {
        client.set(peer);
        if (forwardedFor == null || trustedProxies.isEmpty() || !trustedProxies.contains(peer))
        {
            return;
        }
        int end = forwardedFor.length();
        while (end > 0)
        {
            int start = end;
            while (start > 0 && forwardedFor.charAt(start - 1) != ',')
            {
                start--;
            }
            if (!candidate.parse(forwardedFor, start, end))
            {
                return;
            }
            client.set(candidate);
            if (!trustedProxies.contains(candidate))
            {
                return;
            }
            end = start - 1;
        }
    }
}
