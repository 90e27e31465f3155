namespace EmpowerBot.Hosting;

/// <summary>Retry, timeouts and circuit breaker settings for every outbound HTTP call ("Resilience" section).</summary>
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

    /// <summary>
    /// All attempts and waits of one Bot Connector call. A reply sent inside /api/messages must land or fail well
    /// inside the 15 seconds Teams waits for the answer.
    /// </summary>
    public TimeSpan ConnectorTotalTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>All attempts and waits of one call to any other peer (Slack Web API, webhooks, Azure Table Storage).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
