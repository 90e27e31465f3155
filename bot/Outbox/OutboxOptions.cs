using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>The "Outbox" section: how the dispatcher polls, leases, retries and gives up.</summary>
public sealed class OutboxOptions : ISettings
{
    /// <summary>False keeps this instance from delivering (messages are still enqueued; another instance delivers).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Partitions of the outbox table. A message's shard is a stable hash of its id modulo this number, so only raise
    /// it: messages in shards at or above a lowered value are not polled until it is raised again.
    /// </summary>
    public int Shards { get; set; } = 4;

    /// <summary>How often each shard is read for due messages; an enqueue of a due message also wakes this instance.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claimed message belongs to the instance delivering it without a renewal. A delivery that runs renews
    /// it every third of this; a crash leaves the claim, and the message is delivered again once it runs out.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A message failing this long after it was first due goes to the dead letters instead of being retried.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a dead letter is kept for an operator before it is deleted (with a log line naming it).</summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Deliveries in flight at once on this instance.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>First retry delay; doubled per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of the retry delay (a handler's explicit Retry-After is taken as given).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<string> Problems()
    {
        if (Shards is < 1 or > 64) yield return "Outbox:Shards must be between 1 and 64.";
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromMinutes(5))
            yield return "Outbox:PollInterval must be between 00:00:00.010 and 00:05:00.";
        if (LeaseDuration < TimeSpan.FromSeconds(1)) yield return "Outbox:LeaseDuration must be at least 00:00:01.";
        if (MaxAge <= LeaseDuration) yield return "Outbox:MaxAge must be longer than Outbox:LeaseDuration.";
        if (DeadLetterRetention < TimeSpan.FromHours(1) || DeadLetterRetention > TimeSpan.FromDays(3650))
            yield return "Outbox:DeadLetterRetention must be between 01:00:00 and 3650.00:00:00.";
        if (MaxConcurrency is < 1 or > 256) yield return "Outbox:MaxConcurrency must be between 1 and 256.";
        if (RetryBaseDelay <= TimeSpan.Zero) yield return "Outbox:RetryBaseDelay must be positive.";
        if (RetryMaxDelay < RetryBaseDelay) yield return "Outbox:RetryMaxDelay must be at least Outbox:RetryBaseDelay.";
    }
}

[OptionsValidator]
internal sealed partial class OutboxOptionsValidator : IValidateOptions<OutboxOptions>;
