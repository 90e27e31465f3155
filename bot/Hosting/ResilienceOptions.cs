using Microsoft.Extensions.Options;

namespace EmpowerBot.Hosting;

/// <summary>Retry, timeouts and circuit breaker settings for every outbound HTTP call ("Resilience" section).</summary>
public sealed class ResilienceOptions : ISettings
{
    public int MaxRetries { get; set; } = 4;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 10;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// All attempts and waits of one Bot Connector call. A reply sent inside /api/messages must land or fail well
    /// inside the 15 seconds Teams waits for the answer.
    /// </summary>
    public TimeSpan ConnectorTotalTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>All attempts and waits of one call to any other peer (Slack Web API, webhooks, Azure Table Storage).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The ranges Polly itself accepts, checked here so a bad value fails start-up naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxRetries is < 1 or > 20) yield return "Resilience:MaxRetries must be between 1 and 20.";
        if (BaseDelay <= TimeSpan.Zero || BaseDelay > MaxDelay) yield return "Resilience:BaseDelay must be above zero and at most Resilience:MaxDelay.";
        if (MaxDelay > TimeSpan.FromDays(1)) yield return "Resilience:MaxDelay must be at most 1.00:00:00.";
        foreach (var (key, timeout) in new[] { ("AttemptTimeout", AttemptTimeout), ("ConnectorTotalTimeout", ConnectorTotalTimeout), ("TotalTimeout", TotalTimeout) })
        {
            if (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromDays(1))
                yield return $"Resilience:{key} must be between 00:00:00.010 and 1.00:00:00.";
        }
        if (FailureRatio is < 0.01 or > 1.0) yield return "Resilience:FailureRatio must be between 0.01 and 1.";
        if (MinimumThroughput is < 2 or > 10_000) yield return "Resilience:MinimumThroughput must be at least 2.";
        if (SamplingDuration < TimeSpan.FromMilliseconds(500) || SamplingDuration > TimeSpan.FromDays(1))
            yield return "Resilience:SamplingDuration must be between 00:00:00.500 and 1.00:00:00.";
        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromDays(1))
            yield return "Resilience:BreakDuration must be between 00:00:00.500 and 1.00:00:00.";
    }
}

[OptionsValidator]
internal sealed partial class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>;
