package io.tally.engine.http;

import io.tally.codec.Outcome;
import io.tally.engine.api.AdminToken;
import io.tally.engine.identity.AddressRanges;
import io.tally.engine.identity.IpAddress;

/**
 * Who may read {@code /metrics} and {@code /healthz}: the metrics token's holders from anywhere, and clients in
 * {@code --metrics-allow} (loopback by default). Without a metrics token an allowed client reads both freely;
 * with one, {@code /metrics} needs it from everyone (as it always has) while {@code /healthz} stays open to the
 * allowed clients, so a local health check needs no secret. The client is the address the head's checks resolved:
 * the peer, or, behind a trusted proxy, the address it forwarded for, so a proxy on this machine does not make
 * every visitor local. Others get a 403 that says how to get in.
 */
public final class MonitoringAccess
{
    private static final String FORBIDDEN_DETAIL = "this address may not read /metrics or /healthz: send the metrics " +
        "token, or add the address to --metrics-allow";
    private static final String UNAUTHORIZED_DETAIL = "send Authorization: Bearer <metrics token>";

    private final AddressRanges allowed;
    private final AdminToken token;

    /** {@code metricsToken}: null or blank for none. */
    public MonitoringAccess(final AddressRanges allowed, final String metricsToken)
    {
        this.allowed = allowed;
        this.token = metricsToken == null || metricsToken.isBlank() ? null : AdminToken.of(metricsToken);
    }

    /** Why {@code client} may not read {@code /metrics} ({@code metrics}) or {@code /healthz}, or null when it may. */
    public Outcome refusal(final boolean metrics, final IpAddress client, final String authorization)
    {
        if (token != null && token.authorizes(authorization))
        {
            return null;
        }
        if (!allowed.contains(client))
        {
            return Outcome.FORBIDDEN;
        }
        return metrics && token != null ? Outcome.UNAUTHORIZED : null;
    }

    /** The detail of a refusal's answer. */
    public static String detail(final Outcome refusal)
    {
        return refusal == Outcome.FORBIDDEN ? FORBIDDEN_DETAIL : UNAUTHORIZED_DETAIL;
    }
}
