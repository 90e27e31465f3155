using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace EmpowerBot.Hosting;

/// <summary>
/// The one resilience pipeline around outbound calls (connector, webhooks, Slack, Azure Tables), on
/// Microsoft.Extensions.Http.Resilience: a total timeout, then exponential backoff with jitter on 408/429/5xx and
/// timeouts (honouring Retry-After), a circuit breaker so a dead peer is not hammered, and a per-attempt timeout. The
/// pipelines live in the registry, not in the handler chain, so an open circuit stays open when the client factory
/// rotates its handlers. The caller's cancellation flows through.
/// </summary>
public static class HttpResilience
{
    /// <summary>
    /// Set on a request whose repetition would act twice (a Slack message posted, a modal opened): after a timeout or
    /// a 5xx it may have landed, so it is retried only when it surely did not (the connection was refused, or 429).
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> ActsOnce = new("EmpowerBot.ActsOnce");

    /// <summary>
    /// Adds the pipeline to a named client. <paramref name="perAuthority"/> keeps one pipeline (one breaker) per
    /// scheme, host and port: one Bot Connector region down does not stop replies to the others.
    /// </summary>
    public static IHttpClientBuilder AddOutboundResilience<TCategory>(this IHttpClientBuilder client, string peer, bool perAuthority = false)
    {
        var handler = client.AddResilienceHandler(client.Name, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
            var log = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<TCategory>();
            // Backoff and timeouts wait on a real peer, so they run on the wall clock even when business time is simulated.
            var wall = context.ServiceProvider.GetRequiredKeyedService<TimeProvider>(Clocks.Wall);
            pipeline.TimeProvider = wall;
            Build(pipeline, o, perAuthority ? o.ConnectorTotalTimeout : o.TotalTimeout, log, peer, wall);
        });
        if (perAuthority) handler.SelectPipelineByAuthority();
        return client;
    }

    private static void Build(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceOptions o, TimeSpan total, ILogger log, string peer, TimeProvider wall)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => IsTransient(r.StatusCode));
        var failed = transient.Build();
        pipeline
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = total,
                OnTimeout = args =>
                {
                    log.LogWarning("Call to {Peer} gave up after {Timeout} in all", peer, args.Timeout);
                    return default;
                },
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // A Retry-After longer than MaxDelay is not waited out holding the call: the caller gets the 429 and its
                // Retry-After, and work that can wait goes through the outbox, due then.
                ShouldHandle = args => ValueTask.FromResult(!WaitsTooLong(args.Outcome.Result, o.MaxDelay, wall)
                    && (ActsOnceOnly(args.Context) ? SurelyNotSent(args.Outcome) : failed(args.Outcome))),
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, o.MaxDelay, wall)),
                OnRetry = args =>
                {
                    log.LogWarning("Call to {Peer} failed ({Outcome}); retry {Attempt} in {Delay}",
                        peer, Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = o.FailureRatio,
                MinimumThroughput = o.MinimumThroughput,
                SamplingDuration = o.SamplingDuration,
                BreakDuration = o.BreakDuration,
                OnOpened = args =>
                {
                    log.LogError("Circuit to {Peer} opened for {Break} after repeated failures", peer, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    log.LogInformation("Circuit to {Peer} closed", peer);
                    return default;
                },
            })
            .AddTimeout(o.AttemptTimeout);
    }

    private static bool WaitsTooLong(HttpResponseMessage? response, TimeSpan max, TimeProvider wall) =>
        response?.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter(response, TimeSpan.MaxValue, wall) is { } after && after > max;

    private static bool ActsOnceOnly(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(ActsOnce, out var once) && once;

    /// <summary>The peer cannot have acted: it was never reached, or it said it did not (429).</summary>
    private static bool SurelyNotSent(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
        || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The peer's Retry-After (seconds or a date), capped; null lets the exponential backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider wall)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - wall.GetUtcNow() : null);
        if (delay is null) return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > cap ? cap : delay;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int)outcome.Result!.StatusCode}";
}
