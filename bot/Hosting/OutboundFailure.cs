using Polly.CircuitBreaker;
using Polly.Timeout;

namespace EmpowerBot.Hosting;

/// <summary>
/// A call to another service (Bot Connector, Slack Web API, billing webhook) that did not get through after the
/// resilience pipeline's retries: the service said no in its own protocol, the connection failed, the attempt or
/// total timeout ran out, or the service's circuit is open. Callers catch these and carry on (queue, log, fall back);
/// anything else is a bug and propagates.
/// </summary>
public abstract class OutboundCallException(string message, Exception? inner = null) : Exception(message, inner);

public static class OutboundFailure
{
    /// <summary>True when <paramref name="e"/> means the other service could not be reached or refused the call.</summary>
    public static bool Is(Exception e) =>
        e is OutboundCallException or HttpRequestException or BrokenCircuitException or TimeoutRejectedException;
}
