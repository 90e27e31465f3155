using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace EmpowerBot.Hosting;

/// <summary>Retry, per-attempt timeout and circuit breaker settings for every outbound HTTP call ("Resilience" section).</summary>
public sealed class ResilienceOptions
{
    [System.ComponentModel.DataAnnotations.Range(1, 20, ErrorMessage = "Resilience:MaxRetries must be between 1 and 20.")]
    public int MaxRetries { get; set; } = 4;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    [System.ComponentModel.DataAnnotations.Range(0.01, 1.0, ErrorMessage = "Resilience:FailureRatio must be between 0.01 and 1.")]
    public double FailureRatio { get; set; } = 0.5;
    [System.ComponentModel.DataAnnotations.Range(2, 10_000, ErrorMessage = "Resilience:MinimumThroughput must be at least 2.")]
    public int MinimumThroughput { get; set; } = 10;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The one resilience pipeline around outbound calls (connector, webhooks, Slack, Azure Tables):
/// exponential backoff with jitter on 408/429/5xx and timeouts, honouring Retry-After; a per-attempt timeout;
/// a circuit breaker so a dead peer is not hammered. The caller's cancellation flows through.
/// </summary>
public static class HttpResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Build(ResilienceOptions o, TimeProvider time, ILogger log, string peer)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => IsTransient(r.StatusCode));
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time, o.MaxDelay)),
                OnRetry = args =>
                {
                    log.LogWarning("Call to {Peer} failed ({Outcome}); retry {Attempt} in {Delay}",
                        peer, Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay);
                    args.Outcome.Result?.Dispose();
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
            .AddTimeout(o.AttemptTimeout)
            .Build();
    }

    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The peer's Retry-After (seconds or a date), capped; null lets the exponential backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        if (delay is null) return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > cap ? cap : delay;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int)outcome.Result!.StatusCode}";
}

/// <summary>
/// Runs each request of an HttpClient through a resilience pipeline. The request is re-created for every attempt
/// (an HttpRequestMessage can be sent once), with its body buffered.
/// </summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(ct);
        return await pipeline.ExecuteAsync(token => new ValueTask<HttpResponseMessage>(base.SendAsync(Clone(request, body), token)), ct);
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request, byte[]? body)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)clone.Options)[option.Key] = option.Value;
        }
        if (body is not null)
        {
            clone.Content = Copy(request.Content!, body);
        }
        return clone;
    }

    private static ByteArrayContent Copy(HttpContent original, byte[] body)
    {
        var content = new ByteArrayContent(body);
        foreach (var header in original.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return content;
    }
}
